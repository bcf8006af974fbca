namespace Recs.Core.Jobs;

/// <summary>
/// Runs one kind of job. The host creates a DI scope per job, resolves the handler for the job's kind and calls
/// <see cref="RunAsync"/>; the handler is a small adapter from the job's parameters to the feature's Core code.
/// </summary>
public interface IJobHandler
{
    JobKind Kind { get; }

    /// <summary>
    /// True when running the job again after an interruption continues where it stopped (its progress is persisted by
    /// the feature itself, e.g. enrichment's per-track state). Such jobs are resumed after a restart and can be paused;
    /// the others are marked <see cref="JobStatus.Interrupted"/> instead.
    /// </summary>
    bool Resumable { get; }

    /// <summary>Runs the job. Cancellation means cancel, pause or shutdown: the host tells them apart.</summary>
    Task<JobOutcome> RunAsync(JobRun run, CancellationToken cancellationToken);
}

/// <summary>What a handler is given to run a job.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="ParametersJson">The job's parameters (snake_case JSON, see <see cref="JobJson"/>).</param>
/// <param name="IsResume">True when the job ran before (paused, quota pause or restart) and continues now.</param>
/// <param name="Progress">Progress sink; the host throttles what it writes to the database.</param>
/// <param name="PreviousDone">Items the job had done in its earlier runs (so a resumed job can count on from there).</param>
/// <param name="StartedBy">Who started the job (an account id, "cli" or "startup").</param>
public sealed record JobRun(Guid JobId, string ParametersJson, bool IsResume, IProgress<JobProgress> Progress, long PreviousDone = 0, string StartedBy = "")
{
    /// <summary>The parameters as their record type.</summary>
    public T Parameters<T>() => JobJson.Deserialize<T>(ParametersJson);
}

/// <summary>A progress report: items done of the total (when known), a short human line, the Spotify mode seen.</summary>
public readonly record struct JobProgress(long Done, long? Total = null, string? Message = null, string? SpotifyMode = null);

/// <summary>How a run ended when it did not throw.</summary>
public sealed record JobOutcome
{
    private JobOutcome(object? result, string? message, DateTimeOffset? pausedUntil)
    {
        Result = result;
        Message = message;
        PausedUntil = pausedUntil;
    }

    /// <summary>Kind-specific result, stored as JSON on the job.</summary>
    public object? Result { get; }

    /// <summary>The closing human line.</summary>
    public string? Message { get; }

    /// <summary>Set when the job must pause until then (Spotify's QUOTA_EXCEEDED) and resume by itself.</summary>
    public DateTimeOffset? PausedUntil { get; }

    /// <summary>The job finished.</summary>
    public static JobOutcome Succeeded(object? result = null, string? message = null) => new(result, message, null);

    /// <summary>The job must wait until <paramref name="until"/>; the host persists that and resumes it then (also after a restart).</summary>
    public static JobOutcome PauseUntil(DateTimeOffset until, string reason) => new(null, reason, until);
}
