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

    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled or JobStatus.Interrupted;
}

public enum JobKind
{
    ImportCatalog,
    ImportArtistGenres,
    Enrichment,
    Training,
}

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
