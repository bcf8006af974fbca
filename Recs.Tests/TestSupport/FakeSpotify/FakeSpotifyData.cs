namespace Recs.Tests.TestSupport.FakeSpotify;

/// <summary>Which Spotify the fake behaves as (docs/spotify.md §Modes: what Development Mode removed in 2026).</summary>
public enum FakeSpotifyProfile
{
    /// <summary>Batch endpoints 403, no popularity/followers, some artists without genres, trimmed <c>/me</c>.</summary>
    DevelopmentMode,

    /// <summary>Everything the OpenAPI spec describes: batches of 50, popularity, followers, genres.</summary>
    ExtendedQuota,
}

/// <summary>An artist the fake knows.</summary>
public sealed class FakeArtist
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public List<string> Genres { get; init; } = [];
    public int Popularity { get; init; }
    public int Followers { get; init; }

    /// <summary>Development Mode answers this artist with empty genres (NOTES: "genres may be empty").</summary>
    public bool GenresHiddenInDevelopment { get; init; }

    public string Uri => $"spotify:artist:{Id}";
}

/// <summary>A track the fake knows (or a local file, when <see cref="IsLocal"/>).</summary>
public sealed class FakeTrack
{
    /// <summary>Null for local files.</summary>
    public string? Id { get; init; }
    public required string Name { get; init; }

    /// <summary>Artists of the track; local files carry artists without ids.</summary>
    public List<FakeArtistRef> Artists { get; init; } = [];
    public string? AlbumId { get; init; }
    public string AlbumName { get; init; } = "";
    public string? ReleaseDate { get; init; }
    public string? ReleaseDatePrecision { get; init; }
    public int DurationMs { get; init; }
    public bool Explicit { get; init; }
    public int Popularity { get; init; }
    public string? Isrc { get; init; }
    public bool IsLocal { get; init; }

    public string Uri => IsLocal
        ? $"spotify:local:{Uri_(Artists.FirstOrDefault()?.Name)}:{Uri_(AlbumName)}:{Uri_(Name)}:{DurationMs / 1000}"
        : $"spotify:track:{Id}";

    private static string Uri_(string? s) => System.Uri.EscapeDataString(s ?? "").Replace("%20", "+", StringComparison.Ordinal);
}

/// <summary>A track's artist: id is null on local files.</summary>
public sealed record FakeArtistRef(string? Id, string Name);

/// <summary>An item of a user's saved tracks.</summary>
public sealed record FakeSavedTrack(DateTimeOffset AddedAt, FakeTrack Track);

/// <summary>A Spotify user with a library.</summary>
public sealed class FakeUser
{
    public required string Id { get; init; }

    /// <summary>The 2026 stable key (<c>account_id</c> on <c>/me</c>).</summary>
    public required string AccountId { get; init; }
    public string DisplayName { get; set; } = "";
    public string? ImageUrl { get; set; }
    public string Country { get; set; } = "SE";
    public string Product { get; set; } = "premium";
    public string Email { get; set; } = "";

    /// <summary>Development Mode: users not on the app's allow-list get 403 on every call.</summary>
    public bool RegisteredInDashboard { get; set; } = true;
    public List<FakeSavedTrack> SavedTracks { get; } = [];
}

/// <summary>A playlist created through <c>POST /me/playlists</c>, recorded so tests can assert on it.</summary>
public sealed class FakePlaylist
{
    public required string Id { get; init; }
    public required string OwnerId { get; init; }
    public required string Name { get; init; }
    public bool Public { get; init; }
    public bool Collaborative { get; init; }
    public string? Description { get; init; }
    public List<string> Uris { get; } = [];
    public int SnapshotVersion { get; set; } = 1;
}

/// <summary>
/// Everything the fake serves: artists, tracks, users with libraries, playlists created. Seed it before or
/// during a test; the server reads it under its lock.
/// </summary>
public sealed class FakeSpotifyData
{
    private static readonly string[] GenrePool =
    [
        "pop", "dance pop", "rock", "indie rock", "alt z", "hip hop", "rap", "trap", "edm", "house", "deep house",
        "techno", "jazz", "bebop", "classical", "baroque", "folk", "indie folk", "country", "metal", "punk", "soul",
        "r&b", "reggaeton", "latin pop", "k-pop", "ambient", "lo-fi beats", "blues", "funk",
    ];

    private static readonly string[] Words =
    [
        "Night", "Summer", "Run", "Fire", "Blue", "Heart", "Dance", "Rain", "Golden", "River", "Echo", "Light",
        "Shadow", "Ocean", "Dream", "Wild", "Electric", "Silver", "Storm", "Velvet", "Neon", "Falling", "Home", "Stars",
    ];

    private readonly Lock _gate = new();
    private int _idCounter;

    public Dictionary<string, FakeArtist> Artists { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FakeTrack> Tracks { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FakeUser> Users { get; } = new(StringComparer.Ordinal);
    public List<FakePlaylist> Playlists { get; } = [];

    internal Lock Gate => _gate;

    /// <summary>A fresh, valid 22-character base-62 id, unique within this fake.</summary>
    public string NewId(string kind)
    {
        var n = Interlocked.Increment(ref _idCounter);
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var hash = (ulong)(kind.GetHashCode(StringComparison.Ordinal) & 0x7fff) * 1_000_003UL + (ulong)n * 2_654_435_761UL;
        var chars = new char[22];
        var value = hash ^ ((ulong)n << 20);
        for (var i = 21; i >= 0; i--)
        {
            chars[i] = alphabet[(int)(value % 62)];
            value = value / 62 + (ulong)(n * 31 + i);
        }

        // The counter at the front keeps ids unique whatever the hash does.
        var prefix = n.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        return kind[..1].ToUpperInvariant() + prefix + new string(chars, 0, 14);
    }

    public FakeUser AddUser(string id, string displayName, string? accountId = null)
    {
        var user = new FakeUser { Id = id, AccountId = accountId ?? $"acc-{id}", DisplayName = displayName, Email = $"{id}@example.test" };
        lock (_gate)
        {
            Users[id] = user;
        }

        return user;
    }

    public FakeArtist AddArtist(string name, IEnumerable<string>? genres = null, int popularity = 50, int followers = 1000, bool genresHiddenInDevelopment = false, string? id = null)
    {
        var artist = new FakeArtist
        {
            Id = id ?? NewId("artist"),
            Name = name,
            Genres = genres?.ToList() ?? [],
            Popularity = popularity,
            Followers = followers,
            GenresHiddenInDevelopment = genresHiddenInDevelopment,
        };
        lock (_gate)
        {
            Artists[artist.Id] = artist;
        }

        return artist;
    }

    public FakeTrack AddTrack(string name, IReadOnlyList<FakeArtist> artists, string? id = null, string albumName = "Album",
        string releaseDate = "2001-02-03", string precision = "day", int durationMs = 200_000, bool isExplicit = false, int popularity = 40)
    {
        var track = new FakeTrack
        {
            Id = id ?? NewId("track"),
            Name = name,
            Artists = artists.Select(a => new FakeArtistRef(a.Id, a.Name)).ToList(),
            AlbumId = NewId("album"),
            AlbumName = albumName,
            ReleaseDate = releaseDate,
            ReleaseDatePrecision = precision,
            DurationMs = durationMs,
            Explicit = isExplicit,
            Popularity = popularity,
            Isrc = "SE" + (id ?? "X").GetHashCode(StringComparison.Ordinal).ToString("X8", System.Globalization.CultureInfo.InvariantCulture),
        };
        lock (_gate)
        {
            Tracks[track.Id!] = track;
        }

        return track;
    }

    /// <summary>
    /// Generates <paramref name="artistCount"/> artists and <paramref name="trackCount"/> tracks (deterministic for a seed).
    /// Every 10th artist has no genres at all; every 4th has genres hidden in Development Mode; ~20% of tracks
    /// have a featured second artist.
    /// </summary>
    public IReadOnlyList<FakeTrack> GenerateCatalog(int trackCount, int artistCount, int seed = 1)
    {
        var random = new Random(seed);
        var artists = new List<FakeArtist>(artistCount);
        for (var i = 0; i < artistCount; i++)
        {
            var genres = i % 10 == 0
                ? []
                : Enumerable.Range(0, 1 + random.Next(3)).Select(_ => GenrePool[random.Next(GenrePool.Length)]).Distinct().ToList();
            artists.Add(AddArtist($"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} {i}", genres,
                popularity: random.Next(101), followers: random.Next(1_000_000), genresHiddenInDevelopment: i % 4 == 0));
        }

        var tracks = new List<FakeTrack>(trackCount);
        for (var i = 0; i < trackCount; i++)
        {
            var main = artists[random.Next(artists.Count)];
            var trackArtists = random.NextDouble() < 0.2 ? new[] { main, artists[random.Next(artists.Count)] }.Distinct().ToList() : [main];
            var year = 1960 + random.Next(66);
            var (date, precision) = (i % 17) switch
            {
                0 => ($"{year}", "year"),
                1 => ($"{year}-{1 + random.Next(12):D2}", "month"),
                _ => ($"{year}-{1 + random.Next(12):D2}-{1 + random.Next(28):D2}", "day"),
            };
            tracks.Add(AddTrack($"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} #{i}", trackArtists,
                albumName: $"{Words[random.Next(Words.Length)]} Album", releaseDate: date, precision: precision,
                durationMs: 90_000 + random.Next(300_000), isExplicit: random.NextDouble() < 0.15, popularity: random.Next(101)));
        }

        return tracks;
    }

    /// <summary>
    /// Gives <paramref name="user"/> a library of <paramref name="trackCount"/> generated saved tracks, of which
    /// <paramref name="localFiles"/> are local files (no ids), newest first as Spotify lists them.
    /// </summary>
    public IReadOnlyList<FakeTrack> SeedLibrary(FakeUser user, int trackCount, int artistCount, int localFiles = 0, int seed = 1)
    {
        var tracks = GenerateCatalog(trackCount - localFiles, artistCount, seed).ToList();
        for (var i = 0; i < localFiles; i++)
        {
            tracks.Insert(i * Math.Max(1, tracks.Count / Math.Max(1, localFiles)), new FakeTrack
            {
                Id = null,
                Name = $"Home Recording {i}",
                Artists = [new FakeArtistRef(null, i % 2 == 0 ? "Me" : "Local Band")],
                AlbumName = "Demos",
                DurationMs = 180_000 + i,
                IsLocal = true,
            });
        }

        var start = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        lock (_gate)
        {
            for (var i = 0; i < tracks.Count; i++)
            {
                user.SavedTracks.Add(new FakeSavedTrack(start.AddMinutes(-i), tracks[i]));
            }
        }

        return tracks;
    }

    /// <summary>Playlists recorded so far (a copy).</summary>
    public IReadOnlyList<FakePlaylist> PlaylistsSnapshot()
    {
        lock (_gate)
        {
            return Playlists.ToList();
        }
    }
}
