using Microsoft.EntityFrameworkCore;
using Recs.Core.Jobs;
using Recs.Core.Persistence;

namespace Recs.Web.Jobs;

/// <summary>
/// Drains one kind's queue, one job at a time (the ASP.NET Core docs' <c>QueuedHostedService</c>): a DI scope per
/// job, the kind's <see cref="IJobHandler"/>, throttled progress writes, and the job's end state in the database.
/// </summary>
public sealed class JobRunner(
    JobKind kind,
    JobQueue queue,
    JobService jobs,
    JobInstance instance,
    IDbContextFactory<RecsDbContext> dbFactory,
    IServiceScopeFactory scopeFactory,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<JobsOptions> options,
    ILogger<JobRunner> logger) : BackgroundService
{
    public JobKind Kind { get; } = kind;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var jobId in queue.Reader(Kind).ReadAllAsync(stoppingToken))
            {
                try
                {
                    await RunAsync(jobId, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The runner must outlive any one job.
                    logger.LogError(ex, "{Kind} job {JobId} could not be run", Kind, jobId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// While the job runs here: renews its lease and carries out the cancel or pause asked for on another instance
    /// (stored in the row). When the row is no longer ours (taken over after our lease expired), the run stops without
    /// recording an end. A failing database is only logged: the lease decides, and the new owner's claim wins.
    /// </summary>
    private async Task HeartbeatAsync(Guid jobId, ActiveRun run, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(instance.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                    var until = time.GetUtcNow() + instance.LeaseDuration;
                    var owner = instance.Id;
                    var renewed = await db.Jobs
                        .Where(j => j.Id == jobId && j.Status == JobStatus.Running && j.Owner == owner)
                        .ExecuteUpdateAsync(u => u.SetProperty(j => j.LeaseExpiresAt, until), cancellationToken);
                    if (renewed == 0)
                    {
                        run.TryRequest(RunStop.Lost, "another instance");
                        return;
                    }

                    var request = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId)
                        .Select(j => new { j.StopRequested, j.StopRequestedBy }).FirstAsync(cancellationToken);
                    if (request.StopRequested is { } stop)
                    {
                        run.TryRequest(stop == JobStopRequest.Cancel ? RunStop.Cancel : RunStop.Pause, request.StopRequestedBy ?? "an admin");
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not renew the lease of job {JobId}", jobId);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(Guid jobId, CancellationToken stoppingToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetServices<IJobHandler>().LastOrDefault(h => h.Kind == Kind);

        // Registered before the job is marked Running so that a cancel arriving in between is never lost.
        var run = jobs.Register(jobId, Kind, handler?.Resumable ?? false, stoppingToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
            var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == jobId, stoppingToken);
            if (job is null || job.Status != JobStatus.Queued)
            {
                return; // cancelled (or resumed twice) while it waited in the queue
            }

            if (handler is null)
            {
                job.Fail($"No handler is installed for {JobService.Describe(Kind)} jobs.", time.GetUtcNow());
                await db.SaveChangesAsync(CancellationToken.None);
                await jobs.NotifyAsync(job);
                await jobs.JobEndedAsync(job);
                return;
            }

            // The claim: a compare-and-set on the job's version, so of several instances woken for it exactly one runs it.
            var now = time.GetUtcNow();
            var isResume = job.Start(now, instance.Id, now + instance.LeaseDuration);
            try
            {
                await db.SaveChangesAsync(stoppingToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                logger.LogDebug("{Kind} job {JobId} was claimed by another instance", Kind, jobId);
                return;
            }

            await jobs.NotifyAsync(job);
            using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var heartbeat = HeartbeatAsync(jobId, run, heartbeatStop.Token);

            await using var progress = new ThrottledJobProgress(job, db, jobs, time, options.Value.ProgressInterval, logger);
            JobOutcome? outcome = null;
            Exception? failure = null;
            try
            {
                run.Token.ThrowIfCancellationRequested();
                var jobRun = new JobRun(job.Id, job.ParametersJson, isResume, progress, isResume ? job.Done : 0, job.StartedBy);
                outcome = await handler.RunAsync(jobRun, run.Token);
            }
            catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            await heartbeatStop.CancelAsync();
            await heartbeat;

            // The last report is written whatever happened, so a resumed job and the page show where it stopped.
            await progress.StopAsync();
            if (run.Stop == RunStop.Lost)
            {
                jobs.Unregister(jobId);
                logger.LogWarning("{Kind} job {JobId} was taken over by another instance; this instance stopped its run", Kind, jobId);
                return;
            }

            // The run is over before its end is stored: a stop request from now on is answered from the database, so
            // nobody who has seen the end state can still be told "cancelling" (the handler has returned; a request
            // now could not change the outcome anyway).
            jobs.Unregister(jobId);
            var end = time.GetUtcNow();
            if (outcome is { PausedUntil: { } until })
            {
                job.Pause(outcome.Message ?? $"paused until {until:yyyy-MM-dd HH:mm} UTC", end, until);
                jobs.ScheduleResume(job.Id, until);
            }
            else if (outcome is not null)
            {
                job.Succeed(outcome.Result is null ? null : JobJson.Serialize(outcome.Result), outcome.Message, end);
            }
            else if (failure is not null)
            {
                logger.LogError(failure, "{Kind} job {JobId} failed", Kind, job.Id);
                job.Fail(failure.Message, end);
            }
            else if (run.Stop == RunStop.Cancel)
            {
                job.Cancel(run.StoppedBy ?? "an admin", end);
            }
            else if (run.Stop == RunStop.Pause)
            {
                job.Pause($"paused by {run.StoppedBy}", end);
            }
            else if (handler.Resumable)
            {
                // The app is stopping: leave it Running so that the next start resumes it (see JobService.RecoverAsync).
                job.Note("the app is stopping; the job resumes when it starts again", end);
            }
            else
            {
                job.Interrupt("The app stopped while this job was running; start it again to complete it.", "interrupted by the app stopping", end);
            }

            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Our lease expired (e.g. the database was out of reach) and another instance took the job over.
                logger.LogWarning("{Kind} job {JobId} was taken over by another instance before its end here was stored", Kind, jobId);
                return;
            }

            logger.LogInformation("{Kind} job {JobId} is {Status}", Kind, job.Id, job.Status);

            await jobs.NotifyAsync(job);
            if (job.IsFinished)
            {
                await jobs.JobEndedAsync(job);
            }
        }
        finally
        {
            jobs.Unregister(jobId);
        }
    }
}
