namespace Recs.Core.Catalog;

/// <summary>An artist and its Spotify genres, from enrichment, a library export or an artist → genres table.</summary>
public sealed class Artist
{
    public int Id { get; set; }

    /// <summary>Normalised name (see <see cref="TextKeys"/>): the join key with catalog tracks, unique.</summary>
    public required string NameKey { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Spotify artist id, when known.</summary>
    public string? SpotifyId { get; set; }

    /// <summary>Spotify genres joined with ",", empty when Spotify gave none.</summary>
    public string Genres { get; set; } = "";

    public int? Popularity { get; set; }

    /// <summary>Where the genres came from: "spotify", "export", "artist-table" or "demo".</summary>
    public string Source { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }

    // The artist → genres table (import-artist-genres) also gives each artist's MEAN audio features over its tracks
    // in that table: a strong input for predicting an artist's unknown tracks. Null when the artist is not in it.

    /// <summary>Mean tempo (BPM) of the artist's tracks in the imported artist table.</summary>
    public double? TableTempo { get; set; }

    /// <summary>Mean energy of the artist's tracks in the imported artist table.</summary>
    public double? TableEnergy { get; set; }

    /// <summary>Mean danceability of the artist's tracks in the imported artist table.</summary>
    public double? TableDanceability { get; set; }

    /// <summary>Mean valence of the artist's tracks in the imported artist table.</summary>
    public double? TableValence { get; set; }

    /// <summary>Mean loudness (dB) of the artist's tracks in the imported artist table.</summary>
    public double? TableLoudness { get; set; }

    /// <summary>Mean track popularity (0–100) in the imported artist table.</summary>
    public double? TablePopularity { get; set; }

    /// <summary>Number of the artist's tracks the table's means are over.</summary>
    public int? TableTrackCount { get; set; }

    /// <summary>The table's means as features, when the artist is in the table.</summary>
    public AudioFeatures? TableFeatures =>
        TableTempo is { } t && TableEnergy is { } e && TableDanceability is { } d && TableValence is { } v && TableLoudness is { } l
            ? new AudioFeatures(t, e, d, v, l)
            : null;
}

/// <summary>Known values of <see cref="Artist.Source"/>, from the least to the most trusted source of genres.</summary>
public static class ArtistSources
{
    public const string Demo = "demo";
    public const string ArtistTable = "artist-table";
    public const string LibraryExport = "export";
    public const string Spotify = "spotify";
}
