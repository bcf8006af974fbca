using Recs.Core.Csv;
using Recs.Core.Libraries;

namespace Recs.Core.Catalog;

/// <summary>A validated catalog row, before it is written.</summary>
internal sealed class CatalogRow
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Artists { get; init; } = [];
    public IReadOnlyList<string> ArtistIds { get; init; } = [];
    public string AlbumName { get; init; } = "";
    public int? Popularity { get; init; }
    public int DurationMs { get; init; }
    public bool? Explicit { get; init; }
    public int? ReleaseYear { get; init; }
    public string? ReleaseDate { get; init; }
    public required SpotifyAudioFeatures Features { get; init; }

    /// <summary>Track-level genre labels (Kaggle's <c>track_genre</c>, TidyTuesday's playlist genres).</summary>
    public IReadOnlyList<string> TrackGenres { get; init; } = [];

    /// <summary>Spotify artist genres (library exports).</summary>
    public IReadOnlyList<string> ArtistGenres { get; init; } = [];
}

/// <summary>Parses data rows of a CSV catalog format found by header names; each bad row gets one reason.</summary>
internal abstract class CatalogRowParser
{
    private readonly Dictionary<string, int> _columns;

    protected CatalogRowParser(IReadOnlyList<string> header, string fileName, string formatName, IEnumerable<string> required)
    {
        ColumnCount = header.Count;
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            _columns.TryAdd(header[i].Trim(), i);
        }

        var missing = required.Where(r => !_columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new CatalogFormatException($"{fileName}: looks like the {formatName} format but lacks the column(s) {string.Join(", ", missing)}");
        }
    }

    public int ColumnCount { get; }

    /// <summary>Parses one row; returns null and sets <paramref name="error"/> for a bad row.</summary>
    public abstract CatalogRow? Parse(IReadOnlyList<string> fields, out string? error);

    protected int Col(string name) => _columns[name];

    protected bool Has(string name) => _columns.ContainsKey(name);

    protected static string? ParseId(string cell, string column, ref string? error)
    {
        var s = cell.Trim();
        if (s.Length == 0)
        {
            error ??= $"{column} is missing";
            return null;
        }

        if (SpotifyIds.TryParseTrack(s) is not { } id)
        {
            error ??= $"{column} '{LibraryFileReader.Shorten(s)}' is not a Spotify track id (22 letters and digits)";
            return null;
        }

        return id;
    }

    /// <summary>A required number, checked against <see cref="FeatureRanges"/> under <paramref name="rangeName"/>.</summary>
    protected static double Number(string cell, string column, ref string? error, string? rangeName = null, bool whole = false)
    {
        if (cell.AsSpan().Trim().IsEmpty)
        {
            error ??= $"{column} is missing";
            return 0;
        }

        return NumberCell.Parse(cell, column, ref error, rangeName, whole) ?? 0;
    }

    protected SpotifyAudioFeatures Features(IReadOnlyList<string> f, ref string? error, int timeSignature = -1)
    {
        string C(string name) => f[Col(name)];
        var danceability = Number(C("danceability"), "danceability", ref error);
        var energy = Number(C("energy"), "energy", ref error);
        var key = (int)Number(C("key"), "key", ref error, whole: true);
        var loudness = Number(C("loudness"), "loudness", ref error);
        var mode = (int)Number(C("mode"), "mode", ref error, whole: true);
        var speechiness = Number(C("speechiness"), "speechiness", ref error);
        var acousticness = Number(C("acousticness"), "acousticness", ref error);
        var instrumentalness = Number(C("instrumentalness"), "instrumentalness", ref error);
        var liveness = Number(C("liveness"), "liveness", ref error);
        var valence = Number(C("valence"), "valence", ref error);
        var tempo = Number(C("tempo"), "tempo", ref error);
        if (timeSignature < 0)
        {
            timeSignature = (int)Number(C("time_signature"), "time_signature", ref error, whole: true);
        }

        return new SpotifyAudioFeatures(danceability, energy, key, loudness, mode, speechiness, acousticness, instrumentalness, liveness, valence, tempo, timeSignature);
    }

    protected static readonly string[] AudioFeatureColumns =
        ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness", "instrumentalness", "liveness", "valence", "tempo"];
}

/// <summary>
/// The Kaggle "Spotify Tracks Dataset": <c>track_id, artists (;-joined), album_name, track_name, popularity, duration_ms,
/// explicit, danceability … time_signature, track_genre</c>, usually after an unnamed index column.
/// </summary>
internal sealed class KaggleRowParser(IReadOnlyList<string> header, string fileName)
    : CatalogRowParser(header, fileName, "Kaggle", Required)
{
    private static readonly string[] Required =
        ["track_id", "artists", "album_name", "track_name", "popularity", "duration_ms", "explicit", .. AudioFeatureColumns, "time_signature", "track_genre"];

    public static bool Matches(IReadOnlyList<string> header) =>
        header.Any(h => h.Trim().Equals("track_id", StringComparison.OrdinalIgnoreCase))
        && header.Any(h => h.Trim().Equals("track_genre", StringComparison.OrdinalIgnoreCase));

    public override CatalogRow? Parse(IReadOnlyList<string> f, out string? error)
    {
        error = null;
        var id = ParseId(f[Col("track_id")], "track_id", ref error);
        var popularity = (int)Number(f[Col("popularity")], "popularity", ref error, whole: true);
        var duration = (int)Number(f[Col("duration_ms")], "duration_ms", ref error, whole: true);
        var explicitCell = f[Col("explicit")].Trim();
        bool? explicitFlag = bool.TryParse(explicitCell, out var b) ? b : null;
        if (explicitFlag is null)
        {
            error ??= explicitCell.Length == 0 ? "explicit is missing" : $"explicit '{LibraryFileReader.Shorten(explicitCell)}' is not True or False";
        }

        var features = Features(f, ref error);
        if (error is not null || id is null)
        {
            return null;
        }

        var genre = f[Col("track_genre")].Trim();
        return new CatalogRow
        {
            Id = id,
            Name = f[Col("track_name")].Trim(),
            Artists = f[Col("artists")].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            AlbumName = f[Col("album_name")].Trim(),
            Popularity = popularity,
            DurationMs = duration,
            Explicit = explicitFlag,
            Features = features,
            TrackGenres = genre.Length == 0 ? [] : [genre],
        };
    }
}

/// <summary>
/// TidyTuesday 2020-01-21 Spotify songs: one artist per row, release dates, the playlist's genre and sub-genre
/// (kept as track genre labels), no explicit flag and no time signature.
/// </summary>
internal sealed class TidyTuesdayRowParser(IReadOnlyList<string> header, string fileName)
    : CatalogRowParser(header, fileName, "TidyTuesday", Required)
{
    private static readonly string[] Required =
        ["track_id", "track_name", "track_artist", "track_popularity", "track_album_name", "track_album_release_date", "playlist_genre", "playlist_subgenre", .. AudioFeatureColumns, "duration_ms"];

    public static bool Matches(IReadOnlyList<string> header) =>
        header.Any(h => h.Trim().Equals("track_id", StringComparison.OrdinalIgnoreCase))
        && header.Any(h => h.Trim().Equals("track_artist", StringComparison.OrdinalIgnoreCase));

    public override CatalogRow? Parse(IReadOnlyList<string> f, out string? error)
    {
        error = null;
        var id = ParseId(f[Col("track_id")], "track_id", ref error);
        var popularity = (int)Number(f[Col("track_popularity")], "track_popularity", ref error, "popularity", whole: true);
        var duration = (int)Number(f[Col("duration_ms")], "duration_ms", ref error, whole: true);
        var dateCell = f[Col("track_album_release_date")];
        var (year, date, ok) = ReleaseDates.Parse(dateCell);
        if (!ok)
        {
            error ??= $"track_album_release_date '{LibraryFileReader.Shorten(dateCell.Trim())}' is not a date";
        }

        // TidyTuesday has no time signature: 0, the value Spotify itself uses when it could not tell.
        var features = Features(f, ref error, timeSignature: 0);
        if (error is not null || id is null)
        {
            return null;
        }

        var artist = f[Col("track_artist")].Trim();
        var genres = new[] { f[Col("playlist_genre")].Trim(), f[Col("playlist_subgenre")].Trim() }.Where(g => g.Length > 0).ToArray();
        return new CatalogRow
        {
            Id = id,
            Name = f[Col("track_name")].Trim(),
            Artists = artist.Length == 0 ? [] : [artist],
            AlbumName = f[Col("track_album_name")].Trim(),
            Popularity = popularity,
            DurationMs = duration,
            ReleaseYear = year,
            ReleaseDate = date,
            Features = features,
            TrackGenres = genres,
        };
    }
}
