namespace Recs.Web.Jobs;

/// <summary>
/// Runs <see cref="JobService.RecoverAsync"/> once at start-up (after the migrations, before requests are served), so
/// no job is ever left "running" by a process that is gone.
/// </summary>
internal sealed class JobRecoveryService(JobService jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => jobs.RecoverAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
