using System.ComponentModel.DataAnnotations;

namespace Recs.Core.Jobs;

/// <summary>Import a catalog file (Kaggle CSV or a library export with features) saved under the data directory.</summary>
/// <param name="Path">Absolute path of the saved upload.</param>
/// <param name="FileName">The name the admin uploaded it as.</param>
public sealed record ImportCatalogParameters(string Path, string FileName) : IUploadJobParameters
{
    public static JobKind Kind => JobKind.ImportCatalog;
}

/// <summary>Import an artist → genres table saved under the data directory.</summary>
public sealed record ImportArtistGenresParameters(string Path, string FileName) : IUploadJobParameters
{
    public static JobKind Kind => JobKind.ImportArtistGenres;
}

/// <summary>Enrich catalog tracks with Spotify metadata (the CLI's <c>enrich</c> options).</summary>
/// <param name="BatchSize">Ids per batch request (Extended Quota allows 50).</param>
/// <param name="Delay">Seconds between requests.</param>
/// <param name="Limit">Enrich at most this many tracks in this job; null for all.</param>
public sealed record EnrichmentParameters(
    [property: Range(1, 50)] int BatchSize = 50,
    [property: Range(0, 60)] double Delay = 0.5,
    [property: Range(1, int.MaxValue)] int? Limit = null) : IJobParameters
{
    public static JobKind Kind => JobKind.Enrichment;
}

/// <summary>Train a new model version from the catalog (the CLI's <c>train</c> options).</summary>
/// <param name="K">Number of clusters; null for the trainer's default.</param>
/// <param name="Trainer">Regression trainer name; null for the default.</param>
/// <param name="Seed">Random seed for reproducible runs.</param>
/// <param name="RandomSplit">Also evaluate on a random ("artist seen") split: shows how much the artist carries, doubles evaluation time.</param>
public sealed record TrainingParameters(
    [property: Range(2, 50)] int? K = null,
    string? Trainer = null,
    int Seed = 42,
    bool RandomSplit = true) : IJobParameters
{
    public static JobKind Kind => JobKind.Training;
}

/// <summary>Fetch features from the features service for the tracks Recs has seen without them (see <c>CatalogFeatureFetchRunner</c>).</summary>
/// <param name="Limit">Ask about at most this many tracks per run; null for all.</param>
public sealed record FeatureFetchParameters([property: Range(1, int.MaxValue)] int? Limit = null) : IJobParameters
{
    public static JobKind Kind => JobKind.FetchFeatures;
}
