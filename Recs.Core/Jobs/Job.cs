namespace Recs.Core.Jobs;

/// <summary>
/// A long-running admin job, persisted so that progress survives a restart. The job owns its life: its state changes
/// only through the methods below (<see cref="Start"/>, <see cref="ReportProgress"/>, <see cref="Pause"/>,
/// <see cref="Queue"/>, <see cref="Succeed"/>, <see cref="Fail"/>, <see cref="Cancel"/>, <see cref="Interrupt"/>), each
/// of which checks that the change is allowed from the current status and throws
/// <see cref="InvalidJobTransitionException"/> when it is not (ADR-110).
/// </summary>
/// <remarks>
/// The transitions:
/// <code>
///            Start              Succeed / Fail / Cancel / Interrupt
///   Queued ─────────► Running ─────────────────────────────────────► (finished)
///     ▲  │ Cancel/Fail/Interrupt │ Pause          ▲
///     │  └──────────► (finished) ▼                │ Cancel
///     └── Queue ──────────── Paused ──────────────┘
///   Running ── Queue (restart recovery, takeover) ──► Queued
/// </code>
/// Several instances share the table (ADR-112): <see cref="Start"/> claims the job for one of them with a lease that
/// its heartbeat renews, <see cref="Version"/> makes every transition a compare-and-set, and a unique index allows one
/// active (queued, running or paused) job per kind across all instances.
/// </remarks>
public sealed class Job
{
    /// <summary>For EF Core; new jobs come from <see cref="Create"/>.</summary>
    private Job()
    {
    }

    public Guid Id { get; private set; }
    public JobKind Kind { get; private set; }
    public JobStatus Status { get; private set; }

    /// <summary>The job's parameters as JSON (kind-specific, see <see cref="IJobParameters"/>).</summary>
    public string ParametersJson { get; private set; } = "{}";

    /// <summary>Account id of the admin who started it, or "cli"/"startup".</summary>
    public string StartedBy { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    public long Done { get; private set; }
    public long? Total { get; private set; }

    /// <summary>Short human status line ("fetched 1,200 of 15,316 tracks").</summary>
    public string? Message { get; private set; }

    /// <summary>Why the job failed or was interrupted.</summary>
    public string? Error { get; private set; }

    /// <summary>During a timed pause (Spotify's quota, a burst of errors): when the job resumes by itself.</summary>
    public DateTimeOffset? PausedUntil { get; private set; }

    /// <summary>Spotify mode detected by the job ("extended" or "development"), when it talks to Spotify.</summary>
    public string? SpotifyMode { get; private set; }

    /// <summary>Kind-specific outcome as JSON (e.g. import summary, model version id).</summary>
    public string? ResultJson { get; private set; }

    /// <summary>When the job last changed (progress writes are throttled).</summary>
    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>Items per second over the current run, when known.</summary>
    public double? RatePerSecond { get; private set; }

    /// <summary>How many times a runner has started this job (more than 1 after a pause or a restart).</summary>
    public int Runs { get; private set; }

    /// <summary>The instance running the job (<see cref="Start"/> claims it); null while it is not running.</summary>
    public string? Owner { get; private set; }

    /// <summary>
    /// Until when <see cref="Owner"/> holds the job: its heartbeat moves this forward; once it has passed, another instance
    /// takes the job over (ADR-112). Null while the job is not running.
    /// </summary>
    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    /// <summary>A cancel or pause asked for on any instance while the job runs; the owner's heartbeat reads it.</summary>
    public JobStopRequest? StopRequested { get; private set; }

    /// <summary>Who asked for <see cref="StopRequested"/>.</summary>
    public string? StopRequestedBy { get; private set; }

    /// <summary>
    /// Raised by every change of status (and so of owner): the optimistic concurrency token that lets exactly one
    /// instance claim a queued job, take over an expired one, or finish one (ADR-112). Progress, heartbeats and stop
    /// requests leave it alone, so they never conflict with each other.
    /// </summary>
    public long Version { get; private set; }

    /// <summary>Estimated time left from <see cref="RatePerSecond"/>, when the total is known.</summary>
    public TimeSpan? Eta => Total is { } total && RatePerSecond is > 0 and var rate && total >= Done
        ? TimeSpan.FromSeconds((total - Done) / rate)
        : null;

    /// <summary>True once the job can no longer run (succeeded, failed, cancelled or interrupted).</summary>
    public bool IsFinished => IsFinal(Status);

    /// <summary>True while the job holds its kind's slot (queued, running or paused).</summary>
    public bool IsActive => !IsFinished;

    /// <summary>The statuses in which a job holds its kind's slot: at most one job of each kind is in one of them.</summary>
    public static readonly IReadOnlyList<JobStatus> ActiveStatuses = [JobStatus.Queued, JobStatus.Running, JobStatus.Paused];

    public static bool IsFinal(JobStatus status) =>
        status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled or JobStatus.Interrupted;

    /// <summary>A new queued job of the parameters' kind.</summary>
    public static Job Create<TParameters>(TParameters parameters, string startedBy, DateTimeOffset now)
        where TParameters : IJobParameters =>
        Create(TParameters.Kind, JobJson.Serialize(parameters), startedBy, now);

    /// <summary>A new queued job from already serialised parameters (the typed overload is the one to use).</summary>
    public static Job Create(JobKind kind, string parametersJson, string startedBy, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Kind = kind,
        Status = JobStatus.Queued,
        ParametersJson = parametersJson,
        StartedBy = startedBy,
        CreatedAt = now,
        UpdatedAt = now,
        Message = "queued",
    };

    /// <summary>
    /// Queued → Running: a runner begins (or resumes) the job, claimed by <paramref name="owner"/> until
    /// <paramref name="leaseExpiresAt"/>. Returns true when this run resumes an earlier one.
    /// </summary>
    public bool Start(DateTimeOffset now, string? owner = null, DateTimeOffset? leaseExpiresAt = null)
    {
        Require(nameof(Start), JobStatus.Queued);
        var isResume = Runs > 0;
        Transition(JobStatus.Running);
        Owner = owner;
        LeaseExpiresAt = leaseExpiresAt;
        StartedAt ??= now;
        Runs++;
        PausedUntil = null;
        RatePerSecond = null;
        Message = isResume ? "resumed" : "started";
        Touch(now);
        return isResume;
    }

    /// <summary>Records progress of a running job (null leaves a value as it was).</summary>
    public void ReportProgress(long done, long? total, string? message, string? spotifyMode, double? ratePerSecond, DateTimeOffset now)
    {
        Require(nameof(ReportProgress), JobStatus.Running);
        Done = done;
        Total = total ?? Total;
        Message = message ?? Message;
        SpotifyMode = spotifyMode ?? SpotifyMode;
        RatePerSecond = ratePerSecond ?? RatePerSecond;
        Touch(now);
    }

    /// <summary>
    /// Running → Paused: by an admin (<paramref name="until"/> null: it waits for a resume) or for a while (Spotify's
    /// quota, a burst of transient errors: it resumes by itself at <paramref name="until"/>).
    /// </summary>
    public void Pause(string message, DateTimeOffset now, DateTimeOffset? until = null)
    {
        Require(nameof(Pause), JobStatus.Running);
        Transition(JobStatus.Paused);
        PausedUntil = until;
        RatePerSecond = null;
        Message = message;
        Touch(now);
    }

    /// <summary>
    /// Back to Queued so that a runner picks it up: Paused → Queued (a resume), or Running → Queued (the process that ran
    /// it is gone and the kind can continue where it stopped).
    /// </summary>
    public void Queue(string message, DateTimeOffset now)
    {
        Require(nameof(Queue), JobStatus.Paused, JobStatus.Running);
        Transition(JobStatus.Queued);
        PausedUntil = null;
        RatePerSecond = null;
        Message = message;
        Touch(now);
    }

    /// <summary>Running → Succeeded with the kind's result.</summary>
    public void Succeed(string? resultJson, string? message, DateTimeOffset now)
    {
        Require(nameof(Succeed), JobStatus.Running);
        Transition(JobStatus.Succeeded);
        ResultJson = resultJson;
        Message = message ?? Message;
        Finish(now);
    }

    /// <summary>Queued or Running → Failed (the error says why; a queued job fails when it cannot be run at all).</summary>
    public void Fail(string error, DateTimeOffset now)
    {
        Require(nameof(Fail), JobStatus.Queued, JobStatus.Running);
        Transition(JobStatus.Failed);
        Error = error;
        Finish(now);
    }

    /// <summary>Queued, Running or Paused → Cancelled, by <paramref name="by"/>.</summary>
    public void Cancel(string by, DateTimeOffset now)
    {
        Require(nameof(Cancel), JobStatus.Queued, JobStatus.Running, JobStatus.Paused);
        Transition(JobStatus.Cancelled);
        Message = $"cancelled by {by}";
        Finish(now);
    }

    /// <summary>Queued or Running → Interrupted: the process running it stopped and the kind cannot continue where it stopped.</summary>
    public void Interrupt(string error, string message, DateTimeOffset now)
    {
        Require(nameof(Interrupt), JobStatus.Queued, JobStatus.Running);
        Transition(JobStatus.Interrupted);
        Error = error;
        Message = message;
        Finish(now);
    }

    /// <summary>A running job stays Running with a note (the app is stopping; a resumable job continues after the restart).</summary>
    public void Note(string message, DateTimeOffset now)
    {
        Require(nameof(Note), JobStatus.Running);
        Message = message;
        Touch(now);
    }

    /// <summary>Every change of status: a new version; leaving Running gives up the claim and any pending stop request.</summary>
    private void Transition(JobStatus status)
    {
        Status = status;
        Version++;
        Owner = null;
        LeaseExpiresAt = null;
        StopRequested = null;
        StopRequestedBy = null;
    }

    private void Finish(DateTimeOffset now)
    {
        FinishedAt = now;
        PausedUntil = null;
        RatePerSecond = null;
        Touch(now);
    }

    private void Touch(DateTimeOffset now) => UpdatedAt = now;

    private void Require(string action, params ReadOnlySpan<JobStatus> allowed)
    {
        foreach (var status in allowed)
        {
            if (Status == status)
            {
                return;
            }
        }

        throw new InvalidJobTransitionException(Id, Kind, Status, action, allowed.ToArray());
    }
}
