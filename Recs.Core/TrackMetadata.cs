namespace Recs.Core;

/// <summary>
/// What Recs knows about a track apart from its audio features: the input of the prediction path.
/// Every field but the name may be missing (Development Mode has no popularity and often no genres).
/// </summary>
public sealed record TrackMetadata
{
    /// <summary>Spotify track id, or null for local files.</summary>
    public string? Id { get; init; }

    /// <summary>Track title.</summary>
    public string Name { get; init; } = "";

    /// <summary>Artist names, main artist first.</summary>
    public IReadOnlyList<string> Artists { get; init; } = [];

    /// <summary>Spotify artist ids in the same order as <see cref="Artists"/>, when known.</summary>
    public IReadOnlyList<string> ArtistIds { get; init; } = [];

    /// <summary>Album name.</summary>
    public string? Album { get; init; }

    /// <summary>Release year, when known (a release date of "0000" is unknown).</summary>
    public int? ReleaseYear { get; init; }

    /// <summary>Duration in milliseconds, when known.</summary>
    public int? DurationMs { get; init; }

    /// <summary>Explicit flag, when known.</summary>
    public bool? Explicit { get; init; }

    /// <summary>Popularity 0–100, when known (absent in Development Mode).</summary>
    public int? Popularity { get; init; }

    /// <summary>Artist genres (Spotify's lower-case labels), possibly empty.</summary>
    public IReadOnlyList<string> Genres { get; init; } = [];

    /// <summary>True for a local file in a Spotify library (no id, cannot be looked up).</summary>
    public bool IsLocal { get; init; }

    /// <summary>True audio features carried by the source (e.g. an Exportify export), when present.</summary>
    public AudioFeatures? KnownFeatures { get; init; }

    /// <summary>The main artist, or empty.</summary>
    public string PrimaryArtist => Artists.Count > 0 ? Artists[0] : "";
}
