using Microsoft.EntityFrameworkCore;
using Recs.Core.Enrichment;
using Recs.Core.Persistence;
using Recs.Core.Spotify;

namespace Recs.Core.Jobs;

/// <summary>
/// Runs <see cref="EnrichmentRunner"/> with app-only tokens. The runner stores every chunk in its own transaction and
/// only asks for tracks not enriched yet, so running the job again (after a pause, a quota pause or a restart)
/// continues where it stopped. The job's limit counts what is stored: every track the job enriched carries its id
/// (<see cref="Catalog.CatalogTrack.EnrichedByJobId"/>), counted at the start of each run — not the progress last
/// written, which a kill leaves behind.
/// </summary>
/// <remarks>
/// Without a limit the progress is the whole catalog's ("tracks enriched of catalog tracks"), read from the database at
/// the start of each run, so it is exact after a restart; with a limit it is the job's own count.
/// </remarks>
public sealed class EnrichmentJobHandler(EnrichmentRunner runner, IDbContextFactory<RecsDbContext> dbFactory) : IJobHandler
{
    public JobKind Kind => JobKind.Enrichment;

    public bool Resumable => true;

    public async Task<JobOutcome> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var parameters = run.Parameters<EnrichmentParameters>();
        long before;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            before = parameters.Limit is null
                ? await db.CatalogTracks.CountAsync(t => t.EnrichedAt != null, cancellationToken)
                : await db.CatalogTracks.CountAsync(t => t.EnrichedByJobId == run.JobId, cancellationToken);
        }

        int? limit = parameters.Limit is { } l ? (int)Math.Max(0, l - before) : null;
        if (limit == 0)
        {
            return JobOutcome.Succeeded(null, $"the limit of {parameters.Limit:N0} tracks was reached");
        }

        var request = new EnrichmentRequest
        {
            BatchSize = parameters.BatchSize,
            Delay = TimeSpan.FromSeconds(parameters.Delay),
            Limit = limit,
            JobId = run.JobId,
            RideOutTransientFailures = true,
        };
        run.Progress.Report(new JobProgress(before, null, run.IsResume ? "resuming: finding the tracks still to enrich" : "finding the tracks to enrich"));
        var progress = new SynchronousProgress<EnrichmentProgress>(p => run.Progress.Report(new JobProgress(
            before + p.Done, before + p.Total, $"{p.Fetched:N0} enriched, {p.Failed:N0} unknown to Spotify in this run", ModeName(p.Mode))));

        var outcome = await runner.RunAsync(request, progress, cancellationToken);
        var result = new
        {
            outcome.Fetched,
            outcome.Skipped,
            outcome.Failed,
            outcome.Remaining,
            Mode = ModeName(outcome.Mode),
            outcome.Requests,
            outcome.ArtistsLookedUp,
        };
        if (outcome.PausedUntil is { } until)
        {
            return JobOutcome.PauseUntil(until, outcome.PauseReason ?? $"paused until {until.UtcDateTime:yyyy-MM-dd HH:mm} UTC, then it resumes by itself");
        }

        return JobOutcome.Succeeded(result,
            $"{outcome.Fetched:N0} tracks enriched in the last run, {outcome.Failed:N0} unknown to Spotify, {outcome.Remaining:N0} catalog tracks still without metadata");
    }

    /// <summary>The names the job and its page use for the mode ("extended", "development").</summary>
    public static string? ModeName(SpotifyMode mode) => mode switch
    {
        SpotifyMode.Extended => "extended",
        SpotifyMode.Development => "development",
        _ => null,
    };
}
