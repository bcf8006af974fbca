using System.Globalization;
using Recs.Core.Catalog;

namespace Recs.Core.Demo;

/// <summary>An artist of the demo world: its genre, Spotify-style genres and its own sound (offsets from the genre).</summary>
/// <param name="Name">Display name (unique).</param>
/// <param name="SpotifyId">A Spotify-style 22-character id.</param>
/// <param name="Genre">Index into <see cref="DemoGenres.All"/>.</param>
/// <param name="Genres">Spotify-style artist genres (empty for some artists, as Spotify gives none for many).</param>
/// <param name="Offset">Per-feature offset in units of the genre's standard deviation (tempo, energy, danceability, valence, loudness).</param>
/// <param name="Popularity">The artist's popularity base.</param>
/// <param name="YearCenter">Around which year the artist released.</param>
public sealed record DemoArtist(string Name, string SpotifyId, int Genre, IReadOnlyList<string> Genres, IReadOnlyList<double> Offset, double Popularity, double YearCenter);

/// <summary>The generated demo catalog: tracks with true features, artists with genres, and the world they came from.</summary>
public sealed record DemoCatalog(int Seed, IReadOnlyList<CatalogTrack> Tracks, IReadOnlyList<Artist> Artists, IReadOnlyList<DemoArtist> Profiles);

/// <summary>
/// Generates the synthetic demo catalog (docs/contracts.md §Demo): deterministic for a seed, clearly marked
/// <see cref="CatalogSources.Demo"/>. Its structure makes metadata genuinely predictive of sound, like real data but
/// cleaner: 15 genres with their own feature distributions; artists with several tracks around an artist-specific
/// offset; an era effect (newer releases louder, more energetic, shorter); title words that shift features
/// ("Remix" more danceable and energetic, "Live" rawer, "Acoustic" quieter, "Instrumental" without vocals);
/// popularity, duration and explicit rates by genre; Spotify-style artist genres (missing for some artists).
/// </summary>
public static class DemoCatalogGenerator
{
    /// <summary>Default number of demo catalog tracks.</summary>
    public const int DefaultTrackCount = 20_000;

    /// <summary>Default seed.</summary>
    public const int DefaultSeed = 2026;

    /// <summary>Fixed timestamp of demo rows, so two generations are identical.</summary>
    public static readonly DateTimeOffset GeneratedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Generates <paramref name="trackCount"/> tracks (the same ones for the same seed and count).</summary>
    public static DemoCatalog Generate(int seed = DefaultSeed, int trackCount = DefaultTrackCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trackCount);
        var random = new Random(seed);
        var names = new DemoNames(random);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var profiles = new List<DemoArtist>();
        var tracks = new List<CatalogTrack>(trackCount);
        while (tracks.Count < trackCount)
        {
            var artist = NewArtist(random, names, ids);
            profiles.Add(artist);
            // Track counts per artist are skewed: many with a few tracks, some with dozens.
            var count = Math.Min(1 + (int)(-Math.Log(1 - random.NextDouble()) * 11), 60);
            for (var t = 0; t < count && tracks.Count < trackCount; t++)
            {
                var featuring = random.NextDouble() < 0.08 && profiles.Count > 1 ? profiles[random.Next(profiles.Count - 1)] : null;
                var draft = DrawTrack(random, names, artist, featuring);
                tracks.Add(ToCatalogTrack(draft, NewId(random, ids), artist, featuring, random));
            }
        }

        var artists = profiles.Select(p => new Artist
        {
            NameKey = TextKeys.Normalize(p.Name),
            Name = p.Name,
            SpotifyId = p.SpotifyId,
            Genres = string.Join(",", p.Genres),
            Popularity = (int)Math.Clamp(Math.Round(p.Popularity), 0, 100),
            Source = ArtistSources.Demo,
            UpdatedAt = GeneratedAt,
        }).ToList();
        return new DemoCatalog(seed, tracks, artists, profiles);
    }

    internal static DemoArtist NewArtist(Random random, DemoNames names, HashSet<string> ids, string? name = null)
    {
        var genreIndex = random.Next(DemoGenres.All.Count);
        var genre = DemoGenres.All[genreIndex];
        // Most artists carry two or three of their genre's labels, some a neighbour's too; about one in eight has none.
        var genres = new List<string>();
        if (random.NextDouble() > 0.12)
        {
            genres.Add(genre.SpotifyGenres[0]);
            foreach (var g in genre.SpotifyGenres.Skip(1))
            {
                if (random.NextDouble() < 0.45)
                {
                    genres.Add(g);
                }
            }

            if (random.NextDouble() < 0.15)
            {
                var other = DemoGenres.All[random.Next(DemoGenres.All.Count)];
                if (!genres.Contains(other.SpotifyGenres[0]))
                {
                    genres.Add(other.SpotifyGenres[0]);
                }
            }
        }

        var offset = new double[AudioFeatures.Count];
        for (var i = 0; i < offset.Length; i++)
        {
            offset[i] = Normal(random) * 0.6;
        }

        return new DemoArtist(
            name ?? names.NewArtistName(),
            NewId(random, ids),
            genreIndex,
            genres,
            offset,
            genre.Popularity + Normal(random) * 12,
            genre.YearMean + Normal(random) * 9);
    }

    /// <summary>A track by <paramref name="artist"/>: title, metadata and true features drawn from the world's rules.</summary>
    internal static DemoTrackDraft DrawTrack(Random random, DemoNames names, DemoArtist artist, DemoArtist? featuring)
    {
        var genre = DemoGenres.All[artist.Genre];
        var year = (int)Math.Clamp(Math.Round(artist.YearCenter + Normal(random) * 3), 1955, 2025);
        var era = (year - 1995) / 10.0;
        var variant = random.NextDouble() switch
        {
            < 0.06 => " - Remix",
            < 0.11 => " (Live)",
            < 0.15 => " - Acoustic",
            < 0.17 => " - Instrumental",
            _ => "",
        };

        // Track noise is smaller than the artist offset, so an artist's tracks sound alike.
        double Draw(Spread s, int i) => s.Mean + s.Sd * (artist.Offset[i] + Normal(random) * 0.75);
        var tempo = Draw(genre.Tempo, 0);
        var energy = Draw(genre.Energy, 1) + 0.025 * era;
        var dance = Draw(genre.Danceability, 2);
        var valence = Draw(genre.Valence, 3);
        var loudness = Draw(genre.Loudness, 4) + 1.1 * era;
        var liveness = 0.05 + random.NextDouble() * 0.2;
        var acousticness = genre.Acousticness + Normal(random) * 0.12;
        var instrumentalness = genre.Instrumentalness + Normal(random) * 0.1;
        var speechiness = genre.Speechiness + Normal(random) * 0.03;
        switch (variant)
        {
            case " - Remix":
                tempo = tempo * 1.03 + 4;
                energy += 0.1;
                dance += 0.1;
                loudness += 1.2;
                break;
            case " (Live)":
                energy += 0.05;
                dance -= 0.08;
                loudness -= 1.5;
                liveness = 0.7 + random.NextDouble() * 0.25;
                break;
            case " - Acoustic":
                energy -= 0.3;
                dance -= 0.08;
                loudness -= 5;
                acousticness += 0.5;
                break;
            case " - Instrumental":
                valence -= 0.06;
                instrumentalness += 0.7;
                speechiness = 0.03;
                break;
        }

        if (featuring is not null)
        {
            dance += 0.03;
            speechiness += 0.05;
        }

        var title = names.NewTitle() + (featuring is null ? "" : $" (feat. {featuring.Name})") + variant;
        var features = new AudioFeatures(
            // About one track in 200 has no detected tempo, as in the real catalog.
            random.NextDouble() < 0.005 ? 0 : Math.Round(Math.Clamp(tempo, 45, 215), 3),
            Math.Round(Math.Clamp(energy, 0.005, 1), 3),
            Math.Round(Math.Clamp(dance, 0.05, 0.99), 3),
            Math.Round(Math.Clamp(valence, 0.02, 0.99), 3),
            Math.Round(Math.Clamp(loudness, -45, 1.5), 3));
        return new DemoTrackDraft(
            title,
            names.NewAlbum(),
            year,
            (int)Math.Clamp(Math.Round(artist.Popularity + Normal(random) * 8 + (year >= 2018 ? 5 : 0)), 0, 100),
            (int)Math.Max(30_000, (genre.DurationSeconds - Math.Max(0, year - 2000) * 0.8 + Normal(random) * 35) * 1000),
            random.NextDouble() < genre.ExplicitRate,
            features,
            Math.Round(Math.Clamp(speechiness, 0.022, 0.96), 4),
            Math.Round(Math.Clamp(acousticness, 0, 1), 4),
            Math.Round(Math.Clamp(instrumentalness, 0, 1), 4),
            Math.Round(Math.Clamp(liveness, 0.01, 1), 4));
    }

    private static CatalogTrack ToCatalogTrack(DemoTrackDraft d, string id, DemoArtist artist, DemoArtist? featuring, Random random)
    {
        var genre = DemoGenres.All[artist.Genre];
        var artistGenres = featuring is null ? artist.Genres : artist.Genres.Concat(featuring.Genres).Distinct().ToList();
        return new CatalogTrack
        {
            Id = id,
            Name = d.Title,
            Artists = featuring is null ? artist.Name : $"{artist.Name};{featuring.Name}",
            ArtistIds = featuring is null ? artist.SpotifyId : $"{artist.SpotifyId};{featuring.SpotifyId}",
            AlbumName = d.Album,
            PrimaryArtistKey = TextKeys.Normalize(artist.Name),
            TitleKey = TextKeys.Title(d.Title),
            Popularity = d.Popularity,
            DurationMs = d.DurationMs,
            Explicit = d.Explicit,
            ReleaseYear = d.Year,
            ReleaseDate = string.Create(CultureInfo.InvariantCulture, $"{d.Year:D4}-{1 + random.Next(12):D2}-{1 + random.Next(28):D2}"),
            Danceability = d.Features.Danceability,
            Energy = d.Features.Energy,
            Key = random.Next(12),
            Loudness = d.Features.Loudness,
            Mode = random.NextDouble() < 0.62 ? 1 : 0,
            Speechiness = d.Speechiness,
            Acousticness = d.Acousticness,
            Instrumentalness = d.Instrumentalness,
            Liveness = d.Liveness,
            Valence = d.Features.Valence,
            Tempo = d.Features.Tempo,
            TimeSignature = random.NextDouble() < 0.9 ? 4 : 3,
            TrackGenres = genre.Label,
            ArtistGenres = artistGenres.Count == 0 ? null : string.Join(",", artistGenres),
            Source = CatalogSources.Demo,
            ImportedAt = GeneratedAt,
        };
    }

    /// <summary>A new Spotify-style id (22 base-62 characters), unique within <paramref name="taken"/>.</summary>
    internal static string NewId(Random random, HashSet<string> taken)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        while (true)
        {
            var id = string.Create(22, random, static (span, r) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = alphabet[r.Next(alphabet.Length)];
                }
            });
            if (taken.Add(id))
            {
                return id;
            }
        }
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    internal static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

/// <summary>A generated track before it becomes a catalog row or library entry.</summary>
internal sealed record DemoTrackDraft(
    string Title, string Album, int Year, int Popularity, int DurationMs, bool Explicit, AudioFeatures Features,
    double Speechiness, double Acousticness, double Instrumentalness, double Liveness);
