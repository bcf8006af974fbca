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

            var now = time.GetUtcNow();
            if (handler is null)
            {
                job.Status = JobStatus.Failed;
                job.FinishedAt = now;
                job.Error = $"No handler is installed for {JobService.Describe(Kind)} jobs.";
                await db.SaveChangesAsync(CancellationToken.None);
                await jobs.NotifyAsync(job);
                return;
            }

            var isResume = job.Runs > 0;
            job.Status = JobStatus.Running;
            job.StartedAt ??= now;
            job.Runs++;
            job.PausedUntil = null;
            job.RatePerSecond = null;
            job.UpdatedAt = now;
            job.Message = isResume ? "resumed" : "started";
            await db.SaveChangesAsync(stoppingToken);
            await jobs.NotifyAsync(job);

            await using var progress = new ThrottledJobProgress(job, db, jobs, time, options.Value.ProgressInterval, logger);
            JobOutcome? outcome = null;
            Exception? failure = null;
            try
            {
                run.Token.ThrowIfCancellationRequested();
                outcome = await handler.RunAsync(new JobRun(job.Id, job.ParametersJson, isResume, progress, isResume ? job.Done : 0, job.StartedBy), run.Token);
            }
            catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            // The last report is written whatever happened, so a resumed job and the page show where it stopped.
            await progress.StopAsync();
            var end = time.GetUtcNow();
            job.UpdatedAt = end;
            if (outcome is { PausedUntil: { } until })
            {
                job.Status = JobStatus.Paused;
                job.PausedUntil = until;
                job.RatePerSecond = null;
                job.Message = outcome.Message ?? $"paused until {until:yyyy-MM-dd HH:mm} UTC";
                jobs.ScheduleResume(job.Id, until);
            }
            else if (outcome is not null)
            {
                job.Status = JobStatus.Succeeded;
                job.FinishedAt = end;
                job.ResultJson = outcome.Result is null ? null : JobJson.Serialize(outcome.Result);
                job.Message = outcome.Message ?? job.Message;
            }
            else if (failure is not null)
            {
                logger.LogError(failure, "{Kind} job {JobId} failed", Kind, job.Id);
                job.Status = JobStatus.Failed;
                job.FinishedAt = end;
                job.Error = failure.Message;
            }
            else if (run.Stop == RunStop.Cancel)
            {
                job.Status = JobStatus.Cancelled;
                job.FinishedAt = end;
                job.Message = $"cancelled by {run.StoppedBy}";
            }
            else if (run.Stop == RunStop.Pause)
            {
                job.Status = JobStatus.Paused;
                job.RatePerSecond = null;
                job.Message = $"paused by {run.StoppedBy}";
            }
            else if (handler.Resumable)
            {
                // The app is stopping: leave it Running so that the next start resumes it (see JobService.RecoverAsync).
                job.Message = "the app is stopping; the job resumes when it starts again";
            }
            else
            {
                job.Status = JobStatus.Interrupted;
                job.FinishedAt = end;
                job.Error = "The app stopped while this job was running; start it again to complete it.";
                job.Message = "interrupted by the app stopping";
            }

            await db.SaveChangesAsync(CancellationToken.None);
            logger.LogInformation("{Kind} job {JobId} is {Status}", Kind, job.Id, job.Status);
            await jobs.NotifyAsync(job);
        }
        finally
        {
            jobs.Unregister(jobId);
        }
    }
}
