namespace Recs.Core.Libraries;

/// <summary>Where a stored library came from.</summary>
public enum LibrarySource
{
    /// <summary>Fetched from the listener's Spotify saved tracks.</summary>
    Spotify,

    /// <summary>Read from an uploaded library export (Exportify CSV and its variants).</summary>
    Upload,

    /// <summary>The generated demo library of the demo listener.</summary>
    Demo,
}

/// <summary>
/// A listener's library as last fetched or uploaded: one per user, replaced as a whole. Its tracks are rows of
/// <see cref="UserLibraryTrack"/> (not one blob), so a 10,000-track library is stored and loaded without a huge string.
/// </summary>
public sealed class UserLibrary
{
    public int Id { get; set; }

    /// <summary>The signed-in user's id (the Spotify account id, or the demo listener's id).</summary>
    public required string UserId { get; set; }

    public LibrarySource Source { get; set; }

    /// <summary>When the library was fetched or uploaded.</summary>
    public DateTimeOffset FetchedAt { get; set; }

    /// <summary>Uploaded file name, when <see cref="Source"/> is <see cref="LibrarySource.Upload"/>.</summary>
    public string? FileName { get; set; }

    /// <summary>Tracks stored (local files included).</summary>
    public int TrackCount { get; set; }

    /// <summary>Local files among the tracks (no Spotify id: they cannot be looked up or added to a playlist).</summary>
    public int LocalFiles { get; set; }

    /// <summary>Rows of the uploaded file that were rejected (0 for other sources).</summary>
    public int RejectedRows { get; set; }

    /// <summary>True when the tracks carry their own audio features (an export with feature columns).</summary>
    public bool HasAudioFeatures { get; set; }

    public List<UserLibraryTrack> Tracks { get; set; } = [];
}

/// <summary>One track of a <see cref="UserLibrary"/>: the metadata the clusterer needs, in library order.</summary>
public sealed class UserLibraryTrack
{
    public long Id { get; set; }
    public int UserLibraryId { get; set; }

    /// <summary>Position in the library (0-based), to keep the source's order.</summary>
    public int Position { get; set; }

    /// <summary>Spotify track id; null for local files.</summary>
    public string? SpotifyId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Artist names joined with <see cref="UserLibraryStore.ListSeparator"/>, main artist first.</summary>
    public string Artists { get; set; } = "";

    /// <summary>Spotify artist ids joined with <see cref="UserLibraryStore.ListSeparator"/>.</summary>
    public string? ArtistIds { get; set; }

    public string? Album { get; set; }
    public int? ReleaseYear { get; set; }
    public int? DurationMs { get; set; }
    public bool? Explicit { get; set; }
    public int? Popularity { get; set; }

    /// <summary>Artist genres joined with <see cref="UserLibraryStore.ListSeparator"/>.</summary>
    public string? Genres { get; set; }

    public bool IsLocal { get; set; }

    // The file's own audio features, when the export carried them (all five or none).
    public double? Tempo { get; set; }
    public double? Energy { get; set; }
    public double? Danceability { get; set; }
    public double? Valence { get; set; }
    public double? Loudness { get; set; }
}

/// <summary>A listener's remembered choices.</summary>
public sealed class ListenerPreference
{
    public required string UserId { get; set; }

    /// <summary>Predict features for tracks not in the catalog (on by default).</summary>
    public bool UseRecsModel { get; set; } = true;
}
