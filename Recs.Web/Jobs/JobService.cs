using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Jobs;
using Recs.Core.Persistence;

namespace Recs.Web.Jobs;

/// <summary>The answer to a start, cancel, pause or resume request.</summary>
/// <param name="Ok">False when the request was refused.</param>
/// <param name="JobId">The job concerned (on refusal of a start: the job already active).</param>
/// <param name="Message">Why it was refused, or what happened.</param>
public sealed record JobCommandResult(bool Ok, Guid? JobId, string Message)
{
    /// <summary>True when the job does not exist.</summary>
    public bool NotFound { get; init; }
}

/// <summary>
/// Starts, cancels, pauses and resumes admin jobs. Job state lives in the database, shared by every instance (ADR-112);
/// this service holds only what cannot: the cancellation sources of the jobs running here and the timers of timed
/// pauses. One singleton per app.
/// </summary>
public sealed class JobService(
    IDbContextFactory<RecsDbContext> dbFactory,
    JobQueue queue,
    JobProgressNotifier notifier,
    JobUploads uploads,
    JobInstance instance,
    IServiceScopeFactory scopeFactory,
    TimeProvider time,
    ILogger<JobService> logger)
{
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private readonly ConcurrentDictionary<Guid, ActiveRun> _running = new();
    private readonly ConcurrentDictionary<Guid, ITimer> _resumeTimers = new();

    // The latest state of jobs running here, ahead of the database when a progress write has to wait for the lock.
    private readonly ConcurrentDictionary<Guid, JobSnapshot> _live = new();

    // What watchers here were last told about each active job (by its UpdatedAt), so that the poll only tells them
    // about changes made on other instances.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset?> _told = new();

    private readonly ConcurrentDictionary<JobKind, bool> _resumable = new();

    /// <summary>This instance's name as a job owner.</summary>
    public string InstanceId => instance.Id;

    /// <summary>Human name of a kind, for messages and pages.</summary>
    public static string Describe(JobKind kind) => JobKinds.Describe(kind);

    /// <summary>
    /// Queues a new job of the parameters' kind, or refuses when one of that kind is already queued, running or paused
    /// (two imports or two trainings at once would fight over the same rows and files). The rule holds across
    /// instances: the database's unique index on active jobs refuses a second one started anywhere (ADR-112).
    /// </summary>
    public async Task<JobCommandResult> StartAsync<TParameters>(TParameters parameters, string startedBy, CancellationToken cancellationToken = default)
        where TParameters : IJobParameters
    {
        var kind = TParameters.Kind;
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await RefuseAsync(db, kind, cancellationToken) is { } refused)
            {
                return refused;
            }

            var job = Job.Create(parameters, startedBy, time.GetUtcNow());
            db.Jobs.Add(job);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex)
            {
                // Another instance queued one of this kind between the check and the insert: the unique index refused ours.
                db.ChangeTracker.Clear();
                if (await RefuseAsync(db, kind, CancellationToken.None) is { } refusedElsewhere)
                {
                    logger.LogInformation(ex, "{Kind} job refused by the database: one is already active", kind);
                    return refusedElsewhere;
                }

                throw;
            }

            // A hint for this instance's runner; any instance's poll finds the job in the table anyway.
            queue.TryEnqueue(kind, job.Id);
            logger.LogInformation("{Kind} job {JobId} queued by {StartedBy}", kind, job.Id, startedBy);
            await notifier.NotifyAsync(JobSnapshot.From(job));
            return new JobCommandResult(true, job.Id, $"{Describe(kind)} queued");
        }
        finally
        {
            _startLock.Release();
        }
    }

    private async Task<JobCommandResult?> RefuseAsync(RecsDbContext db, JobKind kind, CancellationToken cancellationToken)
    {
        var active = await db.Jobs.AsNoTracking()
            .Where(j => j.Kind == kind && Job.ActiveStatuses.Contains(j.Status))
            .FirstOrDefaultAsync(cancellationToken);
        if (active is null)
        {
            return null;
        }

        var what = active.Status == JobStatus.Paused ? "paused (resume or cancel it first)" : $"{active.Status.ToString().ToLowerInvariant()} (wait for it to finish or cancel it first)";
        return new JobCommandResult(false, active.Id,
            $"A {Describe(kind)} job is already {what}; it was started by {active.StartedBy} at {active.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC.");
    }

    /// <summary>Cancels a queued, running or paused job, wherever it runs. A finished job is left as it is.</summary>
    public async Task<JobCommandResult> CancelAsync(Guid jobId, string by, CancellationToken cancellationToken = default)
    {
        // A run that has just ended (and disposed its token source) refuses the request; the database then says how it ended.
        if (_running.TryGetValue(jobId, out var run) && run.TryRequest(RunStop.Cancel, by))
        {
            return new JobCommandResult(true, jobId, "cancelling");
        }

        if (await RequestStopElsewhereAsync(jobId, JobStopRequest.Cancel, by, cancellationToken) is { } requested)
        {
            return requested;
        }

        var result = await UpdateAsync(jobId, j => j.Status is JobStatus.Queued or JobStatus.Paused, j => j.Cancel(by, time.GetUtcNow()), cancellationToken);
        if (result.Ok)
        {
            DropResumeTimer(jobId);
        }

        return result;
    }

    /// <summary>Pauses a running job whose kind can continue where it stopped (enrichment).</summary>
    public async Task<JobCommandResult> PauseAsync(Guid jobId, string by, CancellationToken cancellationToken = default)
    {
        if (_running.TryGetValue(jobId, out var run))
        {
            if (!run.Resumable)
            {
                return new JobCommandResult(false, jobId, $"A {Describe(run.Kind)} job cannot be paused (it cannot continue where it stopped); cancel it instead.");
            }

            if (run.TryRequest(RunStop.Pause, by))
            {
                return new JobCommandResult(true, jobId, "pausing");
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is { Status: JobStatus.Running } && job.Owner != instance.Id)
        {
            if (!IsResumable(job.Kind))
            {
                return new JobCommandResult(false, jobId, $"A {Describe(job.Kind)} job cannot be paused (it cannot continue where it stopped); cancel it instead.");
            }

            if (await RequestStopElsewhereAsync(jobId, JobStopRequest.Pause, by, cancellationToken) is { } requested)
            {
                return requested;
            }
        }

        return job is null
            ? new JobCommandResult(false, jobId, "No such job.") { NotFound = true }
            : new JobCommandResult(false, jobId, $"Only a running job can be paused; this one is {job.Status.ToString().ToLowerInvariant()}.");
    }

    /// <summary>Resumes a paused job now (a manual pause, or a quota pause ended early by an admin).</summary>
    public async Task<JobCommandResult> ResumeAsync(Guid jobId, string by, CancellationToken cancellationToken = default)
    {
        var result = await UpdateAsync(jobId, j => j.Status == JobStatus.Paused, j => j.Queue($"resumed by {by}", time.GetUtcNow()), cancellationToken);
        if (result.Ok)
        {
            DropResumeTimer(jobId);
            await EnqueueAsync(jobId);
        }

        return result;
    }

    /// <summary>The latest jobs, newest first.</summary>
    public async Task<IReadOnlyList<JobSnapshot>> ListAsync(int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var jobs = await db.Jobs.AsNoTracking().OrderByDescending(j => j.CreatedAt).Take(take).ToListAsync(cancellationToken);
        return jobs.Select(j => Follow(Latest(JobSnapshot.From(j)))).ToList();
    }

    public async Task<JobSnapshot?> GetAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        return job is null ? null : Follow(Latest(JobSnapshot.From(job)));
    }

    /// <summary>
    /// A job read here unfinished and not running here is followed by <see cref="SweepAsync"/> until it ends, so whoever
    /// read it hears of its end: a job run by another instance between two sweeps (a short one) was otherwise never
    /// seen active here, and a watcher that had read it as running waited for an end nobody told it about.
    /// </summary>
    private JobSnapshot Follow(JobSnapshot job)
    {
        if (!job.IsFinished && !_running.ContainsKey(job.Id))
        {
            _told.TryAdd(job.Id, job.UpdatedAt);
        }

        return job;
    }

    /// <summary>
    /// After a restart: a job left Running resumes when its kind can continue where it stopped, otherwise it is marked
    /// Interrupted with the reason; queued jobs are queued again; quota pauses get their timers back.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var jobs = await db.Jobs.Where(j => Job.ActiveStatuses.Contains(j.Status)).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var toQueue = new List<Job>();
        foreach (var job in jobs.OrderBy(j => j.CreatedAt))
        {
            switch (job.Status)
            {
                // Another instance's job is not ours to recover: its lease says whether that instance is alive (SweepAsync).
                // Ours (same instance id: this instance before the restart) and ownerless ones (written before ADR-112)
                // cannot be running anywhere now.
                case JobStatus.Running when job.Owner is not null && job.Owner != instance.Id:
                    break;
                case JobStatus.Running when IsResumable(job.Kind):
                    job.Queue($"the app restarted at {now:yyyy-MM-dd HH:mm:ss} UTC; resuming where it stopped", now);
                    toQueue.Add(job);
                    break;
                case JobStatus.Running:
                    job.Interrupt(
                        "The app stopped while this job was running (a restart or a crash), and this kind of job cannot " +
                        "continue where it stopped. Nothing it finished was lost; start it again to complete it.",
                        "interrupted by a restart", now);
                    break;
                case JobStatus.Queued:
                    toQueue.Add(job);
                    break;
                case JobStatus.Paused when job.PausedUntil is { } until:
                    ScheduleResume(job.Id, until);
                    break;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance acted on one of them meanwhile; its poll (and ours, SweepAsync) takes it from there.
            logger.LogInformation("Jobs changed on another instance during recovery; the next poll takes over");
            return;
        }

        foreach (var job in toQueue)
        {
            logger.LogInformation("{Kind} job {JobId} queued again after a restart", job.Kind, job.Id);
            queue.TryEnqueue(job.Kind, job.Id);
        }
    }

    /// <summary>
    /// One look at the shared <c>Jobs</c> table, every <see cref="JobsOptions.PollInterval"/> (ADR-112): queued jobs
    /// wake this instance's runners (whichever instance claims one first runs it); a running job whose lease has
    /// expired is taken over (resumed when its kind can continue where it stopped, otherwise marked Interrupted with
    /// the reason); a timed pause that is over is resumed; watchers here are told about changes made elsewhere.
    /// </summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var known = _told.Keys.ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var jobs = await db.Jobs
            .Where(j => Job.ActiveStatuses.Contains(j.Status) || known.Contains(j.Id))
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var job in jobs)
        {
            if (job.Status == JobStatus.Queued)
            {
                queue.TryEnqueue(job.Kind, job.Id);
            }
            else if (job.Status == JobStatus.Running && !_running.ContainsKey(job.Id) && job.LeaseExpiresAt is { } lease && lease < now)
            {
                await TakeOverAsync(db, job, now);
            }
            else if (job.Status == JobStatus.Paused && job.PausedUntil is { } until && until <= now && !_resumeTimers.ContainsKey(job.Id))
            {
                await ResumeAfterQuotaPauseAsync(job.Id);
            }
        }

        foreach (var job in jobs)
        {
            if (_running.ContainsKey(job.Id))
            {
                continue; // watchers here hear of it from the run itself
            }

            var seen = _told.TryGetValue(job.Id, out var told);
            if (!seen || told != job.UpdatedAt)
            {
                await notifier.NotifyAsync(JobSnapshot.From(job));
            }

            if (job.IsFinished)
            {
                _told.TryRemove(job.Id, out _);
            }
            else
            {
                _told[job.Id] = job.UpdatedAt;
            }
        }
    }

    /// <summary>The instance that held <paramref name="job"/> stopped renewing its lease: one instance takes it over.</summary>
    private async Task TakeOverAsync(RecsDbContext db, Job job, DateTimeOffset now)
    {
        var owner = job.Owner ?? "an instance";
        var since = job.LeaseExpiresAt;
        if (IsResumable(job.Kind))
        {
            job.Queue($"{owner} stopped renewing its claim (lease expired {since:yyyy-MM-dd HH:mm:ss} UTC); resuming where it stopped", now);
        }
        else
        {
            job.Interrupt(
                $"The instance running this job ({owner}) stopped renewing its claim at {since:yyyy-MM-dd HH:mm:ss} UTC (a crash, " +
                "a kill or a lost connection), and this kind of job cannot continue where it stopped. Nothing it finished " +
                "was lost; start it again to complete it.",
                "interrupted: its instance stopped", now);
        }

        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance took it over first (or the owner came back and finished it).
            await db.Entry(job).ReloadAsync();
            return;
        }

        logger.LogWarning("{Kind} job {JobId} taken over from {Owner}: {Status}", job.Kind, job.Id, owner, job.Status);
        await notifier.NotifyAsync(JobSnapshot.From(job));
        if (job.Status == JobStatus.Queued)
        {
            queue.TryEnqueue(job.Kind, job.Id);
        }
        else
        {
            await JobEndedAsync(job);
        }
    }

    /// <summary>Asks the instance running a job (not this one) to stop it: stored in the row, read by its heartbeat.</summary>
    private async Task<JobCommandResult?> RequestStopElsewhereAsync(Guid jobId, JobStopRequest stop, string by, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owner = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running).Select(j => j.Owner).FirstOrDefaultAsync(cancellationToken);
        if (owner is null || owner == instance.Id)
        {
            return null;
        }

        var updated = await db.Jobs
            .Where(j => j.Id == jobId && j.Status == JobStatus.Running && j.Owner == owner)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.StopRequested, stop).SetProperty(j => j.StopRequestedBy, by), cancellationToken);
        if (updated == 0)
        {
            return null;
        }

        logger.LogInformation("{Stop} of job {JobId} asked of {Owner} by {By}", stop, jobId, owner, by);
        var verb = stop == JobStopRequest.Cancel ? "cancelling" : "pausing";
        return new JobCommandResult(true, jobId, $"{verb}: the job runs on {owner}, which stops it within {instance.HeartbeatInterval.TotalSeconds:0.#} s");
    }

    /// <summary>Whether a kind can continue where it stopped (its handler says so).</summary>
    internal bool IsResumable(JobKind kind) => _resumable.GetOrAdd(kind, k =>
    {
        using var scope = scopeFactory.CreateScope();
        return scope.ServiceProvider.GetServices<IJobHandler>().LastOrDefault(h => h.Kind == k) is { Resumable: true };
    });

    internal ActiveRun Register(Guid jobId, JobKind kind, bool resumable, CancellationToken stoppingToken)
    {
        var run = new ActiveRun(kind, resumable, CancellationTokenSource.CreateLinkedTokenSource(stoppingToken));
        _running[jobId] = run;
        return run;
    }

    internal void Unregister(Guid jobId)
    {
        _live.TryRemove(jobId, out _);
        if (_running.TryRemove(jobId, out var run))
        {
            run.Dispose();
        }
    }

    /// <summary>Resumes a quota-paused job by itself at <paramref name="until"/> (at once if that has passed).</summary>
    internal void ScheduleResume(Guid jobId, DateTimeOffset until)
    {
        var due = until - time.GetUtcNow();
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        var timer = time.CreateTimer(_ => _ = ResumeAfterQuotaPauseAsync(jobId), null, due, Timeout.InfiniteTimeSpan);
        if (_resumeTimers.TryGetValue(jobId, out var previous))
        {
            previous.Dispose();
        }

        _resumeTimers[jobId] = timer;
        logger.LogInformation("Job {JobId} paused until {Until}", jobId, until);
    }

    internal Task NotifyAsync(Job job)
    {
        _live.TryRemove(job.Id, out _);
        return notifier.NotifyAsync(JobSnapshot.From(job));
    }

    /// <summary>
    /// Progress of a job running here that the database may not have yet (its write waits for the lock): kept for
    /// <see cref="GetAsync"/> and <see cref="ListAsync"/> and sent to watchers now.
    /// </summary>
    internal async Task PublishAsync(Job job)
    {
        var snapshot = JobSnapshot.From(job);
        _live[job.Id] = snapshot;
        try
        {
            await notifier.NotifyAsync(snapshot);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not tell watchers about job {JobId}", snapshot.Id);
        }
    }

    /// <summary>The live snapshot when it is newer than what the database returned.</summary>
    private JobSnapshot Latest(JobSnapshot stored) =>
        _live.TryGetValue(stored.Id, out var live) && stored.Status == JobStatus.Running && live.UpdatedAt >= stored.UpdatedAt ? live : stored;

    private async Task ResumeAfterQuotaPauseAsync(Guid jobId)
    {
        try
        {
            DropResumeTimer(jobId);
            var result = await UpdateAsync(jobId, j => j.Status == JobStatus.Paused && j.PausedUntil is not null,
                j => j.Queue("the pause is over; resuming", time.GetUtcNow()), CancellationToken.None);
            if (result.Ok)
            {
                await EnqueueAsync(jobId);
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not resume job {JobId} after its quota pause", jobId);
        }
    }

    private async Task EnqueueAsync(Guid jobId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var kind = await db.Jobs.Where(j => j.Id == jobId).Select(j => j.Kind).FirstAsync();
        if (!queue.TryEnqueue(kind, jobId))
        {
            logger.LogError("The {Kind} queue is full; job {JobId} stays queued until the next restart", kind, jobId);
        }
    }

    private void DropResumeTimer(Guid jobId)
    {
        if (_resumeTimers.TryRemove(jobId, out var timer))
        {
            timer.Dispose();
        }
    }

    /// <summary>
    /// Applies a command to a job when <paramref name="applies"/> says it is meant for the job's current status (so an
    /// admin gets "not possible while …" rather than an error); the job itself enforces the transition.
    /// </summary>
    private async Task<JobCommandResult> UpdateAsync(Guid jobId, Func<Job, bool> applies, Action<Job> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null)
        {
            return new JobCommandResult(false, jobId, "No such job.") { NotFound = true };
        }

        if (!applies(job))
        {
            return new JobCommandResult(false, jobId, $"Not possible while the job is {job.Status.ToString().ToLowerInvariant()}.");
        }

        change(job);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new JobCommandResult(false, jobId, "The job changed meanwhile (on another instance); look again.");
        }

        await notifier.NotifyAsync(JobSnapshot.From(job));
        if (job.IsFinished)
        {
            await JobEndedAsync(job);
        }

        return new JobCommandResult(true, jobId, job.Message ?? "");
    }

    /// <summary>A job reached its end: uploads no job refers to any more are deleted (ADR-110).</summary>
    internal async Task JobEndedAsync(Job job)
    {
        try
        {
            await uploads.DeleteUnreferencedAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not clean up the uploads after job {JobId}", job.Id);
        }
    }
}

/// <summary>Why a run is being stopped.</summary>
internal enum RunStop
{
    None,
    Cancel,
    Pause,

    /// <summary>The job's lease passed to another instance: stop without recording an end (the new owner does).</summary>
    Lost,
}

/// <summary>A job that is running in this process: how to stop it and why it was stopped.</summary>
/// <remarks>
/// A stop request can race with the run's end (<see cref="JobService.Unregister"/> disposes the token source): the
/// request and the disposal agree under a lock, so a request after the end is refused instead of cancelling a disposed
/// source, and a request under way finishes before the source is disposed.
/// </remarks>
internal sealed class ActiveRun(JobKind kind, bool resumable, CancellationTokenSource cancellation) : IDisposable
{
    private readonly Lock _gate = new();
    private int _requesting;
    private bool _disposed;

    public JobKind Kind { get; } = kind;
    public bool Resumable { get; } = resumable;
    public CancellationToken Token => cancellation.Token;
    public RunStop Stop { get; private set; }
    public string? StoppedBy { get; private set; }

    /// <summary>Asks the run to stop; false when the run has already ended.</summary>
    public bool TryRequest(RunStop stop, string by)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _requesting++;
            Stop = stop;
            StoppedBy = by;
        }

        try
        {
            // Outside the lock: cancellation runs the job's callbacks, which may end the run and dispose it right here.
            cancellation.Cancel();
        }
        finally
        {
            bool disposeNow;
            lock (_gate)
            {
                _requesting--;
                disposeNow = _disposed && _requesting == 0;
            }

            if (disposeNow)
            {
                cancellation.Dispose();
            }
        }

        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_requesting > 0)
            {
                return; // the request under way disposes it when its Cancel returns
            }
        }

        cancellation.Dispose();
    }
}
