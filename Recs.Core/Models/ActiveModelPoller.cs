using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Recs.Core.Models;

/// <summary>
/// Starts the cold-start load of the active model when the host starts (without holding the start-up: readiness
/// reports it), then asks the registry every <see cref="RecsModelsOptions.PollInterval"/> which version is active and
/// swaps to it (<see cref="ActiveModel.RefreshAsync"/>: one indexed read when nothing changed).
/// </summary>
public sealed class ActiveModelPoller(ActiveModel active, IOptions<RecsOptions> recsOptions, ILogger<ActiveModelPoller> logger) : BackgroundService
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        active.UsePolling();
        var interval = recsOptions.Value.Models.PollInterval < MinimumInterval ? MinimumInterval : recsOptions.Value.Models.PollInterval;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await active.RefreshAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be briefly unreachable: keep serving the model in memory, log once per outage.
                if (failures++ == 0)
                {
                    logger.LogWarning(ex, "Could not read the active model version; still serving {Version}", active.Current?.VersionId ?? "none");
                }
            }

            try
            {
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
