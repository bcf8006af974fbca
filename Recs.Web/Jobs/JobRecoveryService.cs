namespace Recs.Web.Jobs;

/// <summary>
/// Runs <see cref="JobService.RecoverAsync"/> once at start-up (after the migrations, before requests are served), so
/// no job is ever left "running" by a process that is gone, then deletes the uploads no job refers to any more (the
/// upload of an import a crash interrupted).
/// </summary>
internal sealed class JobRecoveryService(JobService jobs, JobUploads uploads, ILogger<JobRecoveryService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await jobs.RecoverAsync(cancellationToken);
        try
        {
            await uploads.DeleteUnreferencedAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not clean up the uploads at start-up");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
