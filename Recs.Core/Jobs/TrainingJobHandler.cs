using Recs.Core.Prediction;
using Recs.Core.Prediction.Training;

namespace Recs.Core.Jobs;

/// <summary>
/// Runs <see cref="RecsTrainer"/>: a new model version with its metrics, registered but not activated — the admin
/// compares it with the active version and the baselines first, then activates it on the models page.
/// </summary>
public sealed class TrainingJobHandler(RecsTrainer trainer) : IJobHandler
{
    private const long Steps = 1000;

    public JobKind Kind => JobKind.Training;

    /// <summary>A half-trained model is worth nothing: after an interruption the admin starts it again.</summary>
    public bool Resumable => false;

    public async Task<JobOutcome> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var parameters = run.Parameters<TrainingParameters>();
        var request = new RecsTrainingRequest
        {
            K = parameters.K,
            Seed = parameters.Seed,
            Trainer = parameters.Trainer,
            CreatedBy = run.StartedBy,
            Activate = false,
            RandomSplit = parameters.RandomSplit,
        };
        run.Progress.Report(new JobProgress(0, Steps, "reading the catalog"));

        // Training reports stages with a share done: shown as per-mille steps so the bar and the ETA work.
        var progress = new SynchronousProgress<TrainingProgress>(p => run.Progress.Report(new JobProgress(
            (long)Math.Round(Math.Clamp(p.Fraction, 0, 1) * Steps), Steps, $"{p.Stage}: {p.Message}")));
        var result = await trainer.TrainAsync(request, progress, cancellationToken);

        run.Progress.Report(new JobProgress(Steps, Steps, null));

        // Metrics nodes keep the options they were made with; re-read them as written in the metrics file, where a NaN
        // R² (tiny test splits) is the string "NaN", so the job's result can always be stored.
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(result.Metrics.ToJsonString(RecsTrainer.MetricsJsonOptions));
        return JobOutcome.Succeeded(
            new { ModelVersion = result.ModelVersion, result.TrainingTracks, ElapsedSeconds = Math.Round(result.Elapsed.TotalSeconds, 1), Metrics = metrics },
            $"model version {result.ModelVersion} trained on {result.TrainingTracks:N0} tracks in {result.Elapsed.TotalSeconds:0} s; compare and activate it on the models page");
    }
}
