namespace Recs.Core.Prediction;

/// <summary>
/// One training run: the cluster model plus the five metadata regressors, stored as files in
/// <see cref="Directory"/>. Exactly one version is active at a time.
/// </summary>
public sealed class ModelVersion
{
    /// <summary>Sortable id, e.g. "20261125-142501-k8".</summary>
    public required string Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Absolute path of the directory holding this version's artifacts.</summary>
    public string Directory { get; set; } = "";

    public int K { get; set; }
    public int Seed { get; set; }
    public string Trainer { get; set; } = "";

    /// <summary>Number of catalog tracks the version was trained on.</summary>
    public int TrainingTracks { get; set; }

    /// <summary>The content of <c>metadata_model_metrics.json</c>.</summary>
    public string MetricsJson { get; set; } = "{}";

    /// <summary>True when the version was trained on the synthetic demo catalog.</summary>
    public bool IsDemo { get; set; }

    public bool IsActive { get; set; }
    public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>Who started the training: an account id, "cli" or "startup".</summary>
    public string CreatedBy { get; set; } = "";
}
