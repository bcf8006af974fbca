namespace Recs.Core.Jobs;

/// <summary>A long-running admin job, persisted so that progress survives a restart.</summary>
public sealed class Job
{
    public Guid Id { get; set; }
    public JobKind Kind { get; set; }
    public JobStatus Status { get; set; }

    /// <summary>The job's parameters as JSON (kind-specific).</summary>
    public string ParametersJson { get; set; } = "{}";

    /// <summary>Account id of the admin who started it, or "cli"/"startup".</summary>
    public string StartedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public long Done { get; set; }
    public long? Total { get; set; }

    /// <summary>Short human status line ("fetched 1,200 of 15,316 tracks").</summary>
    public string? Message { get; set; }

    /// <summary>Why the job failed or was interrupted.</summary>
    public string? Error { get; set; }

    /// <summary>During a Spotify quota pause: when the job resumes by itself.</summary>
    public DateTimeOffset? PausedUntil { get; set; }

    /// <summary>Spotify mode detected by the job ("extended" or "development"), when it talks to Spotify.</summary>
    public string? SpotifyMode { get; set; }

    /// <summary>Kind-specific outcome as JSON (e.g. import summary, model version id).</summary>
    public string? ResultJson { get; set; }

    /// <summary>When progress was last written (progress writes are throttled).</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Items per second over the current run, when known.</summary>
    public double? RatePerSecond { get; set; }

    /// <summary>How many times a runner has started this job (more than 1 after a pause or a restart).</summary>
    public int Runs { get; set; }

    /// <summary>Estimated time left from <see cref="RatePerSecond"/>, when the total is known.</summary>
    public TimeSpan? Eta => Total is { } total && RatePerSecond is > 0 and var rate && total >= Done
        ? TimeSpan.FromSeconds((total - Done) / rate)
        : null;

    /// <summary>True once the job can no longer run (succeeded, failed, cancelled or interrupted).</summary>
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled or JobStatus.Interrupted;
}

/// <summary>The kinds of admin job; one runner (and at most one active job) per kind.</summary>
public enum JobKind
{
    ImportCatalog,
    ImportArtistGenres,
    Enrichment,
    Training,

    /// <summary>Fetch real audio features from the features service for tracks seen without them.</summary>
    FetchFeatures,
}

/// <summary>Where a job is in its life.</summary>
public enum JobStatus
{
    Queued,
    Running,
    Paused,
    Succeeded,
    Failed,
    Cancelled,
    Interrupted,
}
