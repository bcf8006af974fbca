using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recs.Core.Clustering;
using Recs.Core.Models;
using Recs.Core.Persistence;
using Recs.Core.Prediction.Featurization;
using Recs.Core.Prediction.Serving;
using Recs.Core.Threading;

namespace Recs.Core.Prediction.Training;

/// <summary>What a training run should do (the CLI's <c>train</c> options, the admin's training job).</summary>
public sealed record RecsTrainingRequest
{
    /// <summary>Where the artifacts go; null for a new directory under the models directory.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Number of clusters; null for <see cref="ClusteringOptions.DefaultK"/>.</summary>
    public int? K { get; init; }

    public int Seed { get; init; } = ClusteringOptions.DefaultSeed;

    /// <summary>Regression trainer (<see cref="MetadataTrainers"/>); null for the default.</summary>
    public string? Trainer { get; init; }

    /// <summary>Who started it: an account id, "cli" or "startup".</summary>
    public string CreatedBy { get; init; } = "cli";

    /// <summary>Activate the new version when it is registered.</summary>
    public bool Activate { get; init; } = true;

    /// <summary>Settings of the metadata regressors; null for the defaults (with <see cref="Trainer"/> and <see cref="Seed"/>).</summary>
    public MetadataTrainingOptions? Metadata { get; init; }

    /// <summary>Also evaluate on a random split (doubles evaluation time; the artist-grouped split is always evaluated).</summary>
    public bool RandomSplit { get; init; } = true;
}

/// <summary>Progress of a training run: a stage, the share done (0–1) and a line for humans.</summary>
public sealed record TrainingProgress(string Stage, double Fraction, string Message);

/// <summary>The result of a training run.</summary>
public sealed record RecsTrainingResult(string ModelVersion, string Directory, JsonObject Metrics, TimeSpan Elapsed, int TrainingTracks);

/// <summary>
/// One training run = one model version (docs/contracts.md §Artifacts): reads the catalog, trains the cluster model and the five
/// metadata regressors, evaluates them honestly, writes every artifact into a temporary directory that is then moved
/// into place, and registers (and by default activates) the version.
/// </summary>
public sealed class RecsTrainer(
    IDbContextFactory<RecsDbContext> dbFactory,
    ModelRegistry registry,
    ILogger<RecsTrainer> logger,
    TimeProvider timeProvider)
{
    private const double GroupedTestFraction = 0.2;

    public static readonly JsonSerializerOptions MetricsJsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    /// <summary>Trains from the catalog in the database.</summary>
    public async Task<RecsTrainingResult> TrainAsync(RecsTrainingRequest request, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        progress?.Report(new TrainingProgress("load", 0, "reading the catalog"));
        var (data, tracks) = await CatalogTrainingData.LoadAsync(dbFactory, cancellationToken);
        if (data.Examples.Count == 0)
        {
            throw new InvalidOperationException("the catalog is empty: import a catalog (import-catalog) before training");
        }

        // Training runs on threads of its own, never the thread pool's: its fits block threads on LightGBM's process-wide
        // lock, and a web host's pool serves the pages meanwhile (ADR-110). Everything below TrainCore stays on them.
        using var threads = new DedicatedThreadScheduler("Recs training", Math.Max(2, Environment.ProcessorCount));
        var result = await threads.Run(() => TrainCore(request, data, tracks.Select(CatalogLookupEntry.From).ToList(), progress, cancellationToken), cancellationToken);
        return result;
    }

    private async Task<RecsTrainingResult> TrainCore(RecsTrainingRequest request, TrainingData data, List<CatalogLookupEntry> lookupEntries, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var now = timeProvider.GetUtcNow();
        var k = request.K ?? ClusteringOptions.DefaultK;
        var options = (request.Metadata ?? new MetadataTrainingOptions()) with { Trainer = request.Trainer ?? request.Metadata?.Trainer ?? MetadataTrainers.LightGbm, Seed = request.Seed };
        var (versionId, defaultDirectory) = registry.NewVersion(k);
        var target = Path.GetFullPath(request.OutputDirectory ?? defaultDirectory);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".tmp-{Path.GetFileName(target)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            Report(progress, "cluster", 0.05, $"cluster model: k={k}, seed={request.Seed}, {lookupEntries.Count:N0} tracks");
            // The cluster model is only needed to score the evaluations: it trains while the first rows are prepared.
            var clustersTask = CurrentScheduler.Run(() => ClusterModelTrainer.TrainWithLookup(lookupEntries, new ClusteringOptions { K = k, Seed = request.Seed }), cancellationToken);

            var fits = (request.RandomSplit ? 3 : 2) * AudioFeatures.Count;
            var done = 0;
            var fitProgress = new SynchronousProgress<string>(m =>
            {
                var n = m.Contains(MetadataModelTrainer.TrainedMessagePrefix, StringComparison.Ordinal) ? Interlocked.Increment(ref done) : Volatile.Read(ref done);
                Report(progress, "train", 0.1 + (0.8 * n / fits), $"{m} ({n}/{fits} regressors)");
            });
            Report(progress, "train", 0.1, $"training on {data.Examples.Count:N0} tracks and evaluating on an artist-grouped{(request.RandomSplit ? " and a random" : "")} split ({options.Trainer}, {fits} regressors)");
            var (models, grouped, calibration, random) = await TrainAndEvaluateAsync(request, data, options, clustersTask, fitProgress, cancellationToken);
            var files = new ModelArtifacts(temp);
            files.SaveClusters(await clustersTask);

            Report(progress, "save", 0.9, "writing artifacts");
            files.SaveMetadataModels(models.Featurizer, models.Models, models.InputSchema, calibration);
            var metrics = BuildMetrics(versionId, options, data, grouped, random, calibration, k, stopwatch.Elapsed);
            files.SaveMetrics(metrics.ToJsonString(MetricsJsonOptions));

            if (request.OutputDirectory is not null && Directory.Exists(target))
            {
                // Re-training into the same directory replaces the previous artifacts as a whole.
                Directory.Delete(target, recursive: true);
            }

            while (request.OutputDirectory is null && Directory.Exists(target))
            {
                // Another training in this data directory took the id meanwhile: its directory is never replaced.
                (versionId, target) = registry.NewVersion(k);
                metrics["model_version"] = versionId;
                files.SaveMetrics(metrics.ToJsonString(MetricsJsonOptions));
            }

            Directory.Move(temp, target);
            var version = new ModelVersion
            {
                Id = versionId,
                CreatedAt = now,
                Directory = target,
                K = k,
                Seed = request.Seed,
                Trainer = options.Trainer,
                TrainingTracks = data.Examples.Count,
                MetricsJson = metrics.ToJsonString(MetricsJsonOptions),
                IsDemo = data.IsDemo,
                CreatedBy = request.CreatedBy,
            };
            Report(progress, "register", 0.97, $"registering model version {versionId}");
            // The registry may give another id when an instance sharing the database registered this one meanwhile.
            versionId = (await registry.RegisterAsync(version, cancellationToken)).Id;
            metrics["model_version"] = versionId;
            if (request.Activate)
            {
                await registry.ActivateAsync(versionId, cancellationToken);
            }

            logger.LogInformation("Trained model version {Version} on {Tracks} tracks in {Seconds:F1}s", versionId, data.Examples.Count, stopwatch.Elapsed.TotalSeconds);
            Report(progress, "done", 1, $"model version {versionId} ready");
            return new RecsTrainingResult(versionId, target, metrics, stopwatch.Elapsed, data.Examples.Count);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>
    /// The evaluation fits (artist-grouped, and random unless turned off) and the final fit. Preparing a fit's rows
    /// is CPU work that runs anywhere; fitting LightGBM regressors is one at a time per process (see
    /// <see cref="MetadataModelTrainer.Fit"/>). So the rows are prepared one fit ahead — the first alone, the next
    /// while the previous fit runs — and each evaluation runs on the core a fit leaves free.
    /// </summary>
    private static async Task<(MetadataModels Models, SplitReport Grouped, SpreadCalibration Calibration, SplitReport? Random)> TrainAndEvaluateAsync(
        RecsTrainingRequest request, TrainingData data, MetadataTrainingOptions options, Task<TrainedClusterModel> clusters, IProgress<string> progress, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = failed.Token;
        var (train, test) = MetadataEvaluation.GroupedSplit(data.Examples, GroupedTestFraction, request.Seed);
        var (randomTrain, randomTest) = MetadataEvaluation.RandomSplit(data.Examples, GroupedTestFraction, request.Seed);
        var (groupedProgress, randomProgress, finalProgress) = (Prefixed(progress, "artist-grouped split: "), Prefixed(progress, "random split: "), Prefixed(progress, "final model: "));
        var groupedRows = CurrentScheduler.Run(() => MetadataModelTrainer.Prepare(new TrainingData(train, data.Artists), options, groupedProgress, token), token);
        var randomRows = CurrentScheduler.Run(async () =>
        {
            await ((Task)groupedRows).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            return request.RandomSplit ? MetadataModelTrainer.Prepare(new TrainingData(randomTrain, data.Artists), options, randomProgress, token) : null;
        }, token);
        var finalRows = CurrentScheduler.Run(async () =>
        {
            await ((Task)randomRows).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            return MetadataModelTrainer.Prepare(data, options, finalProgress, token);
        }, token);
        Task<(SplitReport Report, SpreadCalibration Calibration)>? groupedEvaluation = null;
        Task<SplitReport>? randomEvaluation = null;
        try
        {
            var groupedModels = MetadataModelTrainer.Fit(await groupedRows, options, groupedProgress, token);
            Func<AudioFeatures, int> score = (await clusters).Model.Assign;
            groupedEvaluation = CurrentScheduler.Run(() => MetadataEvaluation.EvaluateModels("artist_grouped", train.Count, groupedModels, test, options, score, token), token);
            if (await randomRows is { } prepared)
            {
                var randomModels = MetadataModelTrainer.Fit(prepared, options, randomProgress, token);
                randomEvaluation = CurrentScheduler.Run(() => MetadataEvaluation.EvaluateModels("random", randomTrain.Count, randomModels, randomTest, options, score, token).Report, token);
            }

            var models = MetadataModelTrainer.Fit(await finalRows, options, finalProgress, token);
            var (grouped, calibration) = await groupedEvaluation;
            var random = randomEvaluation is null ? null : await randomEvaluation;
            return (models, grouped, calibration, random);
        }
        catch
        {
            // Stop the work still running and let it end before the caller removes the temporary directory.
            await failed.CancelAsync();
            await Task.WhenAll(new Task?[] { groupedRows, randomRows, finalRows, groupedEvaluation, randomEvaluation }.OfType<Task>()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    /// <summary>The metrics file: docs/contracts.md §Artifacts' per-feature {mae, r2} on the artist-grouped split at the top, then the rest.</summary>
    internal static JsonObject BuildMetrics(string versionId, MetadataTrainingOptions options, TrainingData data, SplitReport grouped, SplitReport? random, SpreadCalibration calibration, int k, TimeSpan elapsed)
    {
        var full = grouped.Profiles[InputProfiles.Full];
        var metrics = new JsonObject();
        foreach (var name in AudioFeatures.Names)
        {
            metrics[name] = ToNode(full.Features[name]);
        }

        metrics["model_version"] = versionId;
        metrics["split"] = "artist_grouped";
        metrics["profile"] = InputProfiles.Full;
        metrics["baselines"] = ToNode(full.Baselines);
        metrics["cluster_agreement"] = full.ClusterAgreement;
        metrics["majority_cluster_rate"] = full.MajorityClusterRate;
        metrics["baseline_cluster_agreement"] = full.BaselineClusterAgreement;
        metrics["trainer"] = options.Trainer;
        metrics["hyper_parameters"] = ToNode(new { options.Trees, options.Leaves, options.LearningRate, options.MinExamplesPerLeaf, options.SubsampleFraction, options.FeatureFraction, options.MaxBins, options.Folds, options.MaskedCopies });
        metrics["k"] = k;
        metrics["training_tracks"] = data.Examples.Count;
        metrics["artist_table_artists"] = data.Artists.Count(a => a.Mean is not null);
        metrics["is_demo"] = data.IsDemo;
        metrics["calibration"] = ToNode(new { calibration.Centre, calibration.Factor });
        metrics["artist_grouped"] = ToNode(grouped);
        if (random is not null)
        {
            metrics["random"] = ToNode(random);
        }

        metrics["train_seconds"] = Math.Round(elapsed.TotalSeconds, 2);
        return metrics;
    }

    private static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, MetricsJsonOptions);

    private static void Report(IProgress<TrainingProgress>? progress, string stage, double fraction, string message) =>
        progress?.Report(new TrainingProgress(stage, fraction, message));

    private static IProgress<string> Prefixed(IProgress<string> progress, string prefix) => new SynchronousProgress<string>(m => progress.Report(prefix + m));
}
