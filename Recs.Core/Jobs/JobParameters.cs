using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Recs.Core.Prediction.Training;

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
/// <remarks>
/// The admin API binds and validates these records as they are (.NET's built-in validation): the JSON names and the
/// names in validation messages are the snake_case ones of the HTTP contract, the same that <see cref="JobJson"/> stores.
/// </remarks>
public sealed record EnrichmentParameters(
    [Display(Name = "batch_size")] [property: JsonPropertyName("batch_size"), Range(1, 50)] int BatchSize = 50,
    [Display(Name = "delay")] [property: JsonPropertyName("delay"), Range(0, 60)] double Delay = 0.5,
    [Display(Name = "limit")] [property: JsonPropertyName("limit"), Range(1, int.MaxValue)] int? Limit = null) : IJobParameters
{
    public static JobKind Kind => JobKind.Enrichment;
}

/// <summary>Train a new model version from the catalog (the CLI's <c>train</c> options).</summary>
/// <param name="K">Number of clusters; null for the trainer's default.</param>
/// <param name="Trainer">Regression trainer name; null for the default.</param>
/// <param name="Seed">Random seed for reproducible runs.</param>
/// <param name="RandomSplit">Also evaluate on a random ("artist seen") split: shows how much the artist carries, doubles evaluation time.</param>
public sealed record TrainingParameters(
    [Display(Name = "k")] [property: JsonPropertyName("k"), Range(2, 50)] int? K = null,
    [Display(Name = "trainer")] [property: JsonPropertyName("trainer"), StringLength(100)] string? Trainer = null,
    [property: JsonPropertyName("seed")] int Seed = 42,
    [property: JsonPropertyName("random_split")] bool RandomSplit = true) : IJobParameters, IValidatableObject
{
    public static JobKind Kind => JobKind.Training;

    /// <summary>An unknown trainer is refused before the job starts, naming the ones there are.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Trainer is not null && !MetadataTrainers.All.Contains(Trainer))
        {
            yield return new ValidationResult(
                $"The field trainer must be one of {string.Join(", ", MetadataTrainers.All)} (or empty for the default); '{Trainer}' is not.",
                [nameof(Trainer)]);
        }
    }
}

/// <summary>Fetch features from the features service for the tracks Recs has seen without them (see <c>CatalogFeatureFetchRunner</c>).</summary>
/// <param name="Limit">Ask about at most this many tracks per run; null for all.</param>
public sealed record FeatureFetchParameters(
    [Display(Name = "limit")] [property: JsonPropertyName("limit"), Range(1, int.MaxValue)] int? Limit = null) : IJobParameters
{
    public static JobKind Kind => JobKind.FetchFeatures;
}
