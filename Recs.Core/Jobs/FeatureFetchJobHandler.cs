using Recs.Core.FeatureServices;

namespace Recs.Core.Jobs;

/// <summary>
/// "Fetch features for the catalog": runs <see cref="CatalogFeatureFetchRunner"/>. Each answered batch is stored at once
/// and the pending tracks are read from the database at the start of every run, so running the job again (after a
/// pause, a throttle pause or a restart) continues where it stopped without asking about a track twice. A long 429
/// pauses the job until the service's Retry-After.
/// </summary>
public sealed class FeatureFetchJobHandler(CatalogFeatureFetchRunner runner) : IJobHandler
{
    public JobKind Kind => JobKind.FetchFeatures;

    public bool Resumable => true;

    public async Task<JobOutcome> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var parameters = run.Parameters<FeatureFetchParameters>();
        var before = run.PreviousDone;
        run.Progress.Report(new JobProgress(before, null, run.IsResume ? "resuming: finding the tracks still without features" : "finding the tracks seen without features"));
        var progress = new SynchronousProgress<CatalogFeatureFetchProgress>(p => run.Progress.Report(new JobProgress(
            before + p.Done, before + p.Total, $"{p.Found:N0} found, {p.Missed:N0} unknown to the service in this run")));

        var outcome = await runner.RunAsync(new CatalogFeatureFetchRequest(parameters.Limit), progress, cancellationToken);
        if (outcome.PausedUntil is { } until)
        {
            return JobOutcome.PauseUntil(until, $"the features service asked Recs to wait: paused until {until.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, then it resumes by itself");
        }

        return JobOutcome.Succeeded(
            new { outcome.Found, outcome.Missed, outcome.Remaining, outcome.Requests },
            $"{outcome.Found:N0} tracks found and stored in the catalog, {outcome.Missed:N0} unknown to the service, {outcome.Remaining:N0} still to ask about, {outcome.Requests:N0} requests");
    }
}
