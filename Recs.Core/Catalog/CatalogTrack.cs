namespace Recs.Core.Catalog;

/// <summary>A track with true audio features: the ground truth Recs learns from and clusters.</summary>
public sealed class CatalogTrack
{
    /// <summary>Spotify track id (22 base-62 characters).</summary>
    public required string Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Artist names joined with ";" (the Kaggle format), main artist first.</summary>
    public string Artists { get; set; } = "";

    /// <summary>Spotify artist ids joined with ";", when known (from enrichment or an export with URIs).</summary>
    public string? ArtistIds { get; set; }

    public string AlbumName { get; set; } = "";

    /// <summary>Normalised main artist (see <see cref="TextKeys"/>), for the artist + title lookup.</summary>
    public string PrimaryArtistKey { get; set; } = "";

    /// <summary>Normalised title (see <see cref="TextKeys"/>), for the artist + title lookup.</summary>
    public string TitleKey { get; set; } = "";

    public int? Popularity { get; set; }
    public int DurationMs { get; set; }
    public bool? Explicit { get; set; }
    public int? ReleaseYear { get; set; }
    public string? ReleaseDate { get; set; }

    public double Danceability { get; set; }
    public double Energy { get; set; }
    public int Key { get; set; }
    public double Loudness { get; set; }
    public int Mode { get; set; }
    public double Speechiness { get; set; }
    public double Acousticness { get; set; }
    public double Instrumentalness { get; set; }
    public double Liveness { get; set; }
    public double Valence { get; set; }

    /// <summary>Tempo in BPM; 0 means "not detected" and is treated as unknown.</summary>
    public double Tempo { get; set; }

    public int TimeSignature { get; set; }

    /// <summary>Every Kaggle <c>track_genre</c> label the track was listed under, sorted, joined with ";".</summary>
    public string TrackGenres { get; set; } = "";

    /// <summary>Spotify artist genres (from enrichment or an export), joined with ",".</summary>
    public string? ArtistGenres { get; set; }

    /// <summary>Where the row came from: see <see cref="CatalogSources"/>.</summary>
    public string Source { get; set; } = CatalogSources.Kaggle;

    public DateTimeOffset ImportedAt { get; set; }

    /// <summary>When Spotify metadata was fetched for this track (enrichment), if ever.</summary>
    public DateTimeOffset? EnrichedAt { get; set; }

    /// <summary>
    /// The enrichment job that fetched it (null for the CLI or a listener's run), so a job's limit counts what the job
    /// stored rather than what its last progress write said (a kill loses progress writes, never stored rows).
    /// </summary>
    public Guid? EnrichedByJobId { get; set; }

    /// <summary>The five clustered features.</summary>
    public AudioFeatures Features => new(Tempo, Energy, Danceability, Valence, Loudness);
}

/// <summary>Known values of <see cref="CatalogTrack.Source"/>.</summary>
public static class CatalogSources
{
    public const string Kaggle = "kaggle";
    public const string LibraryExport = "export";
    public const string Demo = "demo";
    public const string TidyTuesday = "tidytuesday";

    /// <summary>Features from a listener's uploaded file (contributed to the catalog; nothing records who contributed).</summary>
    public const string File = "file";

    /// <summary>Features from the configured features service (ReccoBeats or a Spotify-compatible one).</summary>
    public const string Service = "service";

    /// <summary>
    /// Sources whose rows a file or service must never overwrite: their features are the curated ground truth the
    /// models were trained on.
    /// </summary>
    public static bool IsCurated(string source) => source is not (File or Service);
}
