using Microsoft.Extensions.Options;

namespace Recs.Web.Jobs;

/// <summary>
/// Runs <see cref="JobService.SweepAsync"/> every <see cref="JobsOptions.PollInterval"/>: how an instance learns of
/// what other instances did to the shared <c>Jobs</c> table (ADR-112).
/// </summary>
internal sealed class JobMonitor(JobService jobs, IOptions<JobsOptions> options, TimeProvider time, ILogger<JobMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await jobs.SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Could not look at the jobs table; trying again in {Interval}", options.Value.PollInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
