using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Recs.Core.Catalog;
using Recs.Core.Prediction.Featurization;

namespace Recs.Core.Prediction.Training;

/// <summary>ML.NET learners compared for the metadata regressors (BENCHMARKS.md).</summary>
public static class MetadataTrainers
{
    public const string LightGbm = "lightgbm";
    public const string FastTree = "fasttree";
    public const string FastForest = "fastforest";
    public const string Sdca = "sdca";

    public static readonly IReadOnlyList<string> All = [LightGbm, FastTree, FastForest, Sdca];
}

/// <summary>How the metadata regressors are trained.</summary>
public sealed record MetadataTrainingOptions
{
    /// <summary>One of <see cref="MetadataTrainers"/>.</summary>
    public string Trainer { get; init; } = MetadataTrainers.LightGbm;

    public int Seed { get; init; } = 42;

    /// <summary>Boosting rounds / trees.</summary>
    public int Trees { get; init; } = 100;

    public int Leaves { get; init; } = 31;

    public double LearningRate { get; init; } = 0.15;

    public int MinExamplesPerLeaf { get; init; } = 40;

    /// <summary>Share of the rows each boosting round looks at (LightGBM bagging; its cost grows with it).</summary>
    public double SubsampleFraction { get; init; } = 0.5;

    /// <summary>Share of the inputs each tree may split on.</summary>
    public double FeatureFraction { get; init; } = 0.8;

    /// <summary>
    /// Histogram bins per input for LightGBM (<c>max_bin</c>). 63 instead of ML.NET's 255 made each
    /// LightGBM fit ~20% faster with the same grouped-split accuracy (BENCHMARKS.md).
    /// </summary>
    public int MaxBins { get; init; } = 63;

    /// <summary>Out-of-fold folds for the artist and genre statistics of training rows.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Add a masked copy of each track (no popularity and/or no genres) so the model copes with their absence.</summary>
    public bool MaskedCopies { get; init; } = true;

    public FeatureStatisticsOptions Statistics { get; init; } = new();
}

/// <summary>The featurized training rows of one fit (<see cref="MetadataModelTrainer.Prepare"/>).</summary>
public sealed class PreparedTraining
{
    internal PreparedTraining(MetadataFeaturizer featurizer, List<float[]> rows, List<AudioFeatures> labels) => (Featurizer, Rows, Labels) = (featurizer, rows, labels);

    internal MetadataFeaturizer Featurizer { get; }

    internal List<float[]> Rows { get; }

    internal List<AudioFeatures> Labels { get; }
}

/// <summary>The fitted metadata models of one training run, before they are saved.</summary>
public sealed class MetadataModels(MetadataFeaturizer featurizer, IReadOnlyList<ITransformer> models, DataViewSchema inputSchema, string trainer)
{
    public MetadataFeaturizer Featurizer { get; } = featurizer;

    /// <summary>One model per feature in <see cref="AudioFeatures.Names"/> order.</summary>
    public IReadOnlyList<ITransformer> Models { get; } = models;

    public DataViewSchema InputSchema { get; } = inputSchema;

    public string Trainer { get; } = trainer;
}

/// <summary>
/// Trains the five metadata → feature regressors: out-of-fold artist/genre statistics for the training rows (so a
/// track's own features never reach its inputs), masked copies for the Development-Mode profile, one ML.NET
/// regressor per feature.
/// </summary>
public static class MetadataModelTrainer
{
    /// <summary>How the progress line of a finished regressor starts (one per feature and fit; progress bars count them).</summary>
    public const string TrainedMessagePrefix = "trained ";

    /// <summary>Fits the models on all of <paramref name="data"/>.</summary>
    public static MetadataModels Train(TrainingData data, MetadataTrainingOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(Prepare(data, options, progress, cancellationToken), options, progress, cancellationToken);

    /// <summary>
    /// The first half of <see cref="Train"/>: the statistics and the featurized training rows. It is plain parallel
    /// CPU work, while <see cref="Fit"/> is not (see there), so a caller with several fits can prepare one while
    /// another fits.
    /// </summary>
    public static PreparedTraining Prepare(TrainingData data, MetadataTrainingOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (data.Examples.Count == 0)
        {
            throw new InvalidOperationException("the catalog is empty: import a catalog before training");
        }

        var index = FeatureStatisticsBuilder.BuildIndex(data, options.Statistics);
        var fullStats = FeatureStatisticsBuilder.Build(data.Examples, index);
        var featurizer = new MetadataFeaturizer(fullStats);
        progress?.Report($"statistics: {fullStats.CatalogArtists.Count:N0} catalog artists, {fullStats.TableArtists.Count:N0} table artists, {fullStats.GenreTerms.Count:N0} genre terms");
        cancellationToken.ThrowIfCancellationRequested();

        var (rows, labels) = BuildTrainingRows(data.Examples, index, options, cancellationToken);
        progress?.Report($"training rows: {rows.Count:N0} ({featurizer.Length} inputs)");
        return new PreparedTraining(featurizer, rows, labels);
    }

    /// <summary>
    /// The second half of <see cref="Train"/>: one regressor per feature. ML.NET trains one LightGBM model at a time
    /// per process (a static lock in its LightGBM wrapper), so LightGBM regressors queue up whatever the parallelism
    /// here; each runs on one thread (two threads measured no faster per model on this data: BENCHMARKS.md), which
    /// leaves the other cores to <see cref="Prepare"/> work. The other learners do run side by side.
    /// </summary>
    public static MetadataModels Fit(PreparedTraining prepared, MetadataTrainingOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var (featurizer, rows, labels) = (prepared.Featurizer, prepared.Rows, prepared.Labels);
        var models = new ITransformer[AudioFeatures.Count];
        var ml = new MLContext(options.Seed);
        var schema = MetadataSchema.ToDataView(ml, rows.Take(1).ToList(), labels.Take(1).ToList(), 1, featurizer.Length).Schema;
        // LightGBM fits queue on that lock: two workers keep one training while the next loads its rows; more would
        // only hold thread-pool threads waiting on the lock, which a Blazor Server app needs for its pages.
        var workers = options.Trainer == MetadataTrainers.LightGbm ? Math.Min(2, Environment.ProcessorCount) : Environment.ProcessorCount;
        // On the caller's scheduler: inside a training that is its own threads, so waiting on the lock never holds a
        // thread-pool thread (a parallel loop queues its workers on the pool unless told otherwise).
        Parallel.For(0, AudioFeatures.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellationToken, TaskScheduler = TaskScheduler.Current }, f =>
        {
            var featureMl = new MLContext(options.Seed + f);
            var view = MetadataSchema.ToDataView(featureMl, rows, labels, f, featurizer.Length);
            models[f] = BuildPipeline(featureMl, options).Fit(view);
            progress?.Report($"{TrainedMessagePrefix}{AudioFeatures.Names[f]} ({options.Trainer})");
        });

        return new MetadataModels(featurizer, models, schema, options.Trainer);
    }

    /// <summary>
    /// Inputs of the training rows: each track featurized with statistics from the other folds, once as it is
    /// and once masked (no popularity, no own genres, or both) so that missing inputs are seen in training.
    /// </summary>
    internal static (List<float[]> Rows, List<AudioFeatures> Labels) BuildTrainingRows(
        IReadOnlyList<TrainingExample> examples, GenreIndex index, MetadataTrainingOptions options, CancellationToken cancellationToken)
    {
        var k = Math.Max(2, options.Folds);
        var fold = examples.Select(e => FoldOf(e, k, options.Seed)).ToArray();

        // The folds are independent (each its own statistics and its own random masks), so they are built side by
        // side and joined in fold order: the rows do not depend on the number of cores.
        var parts = new (List<float[]> Rows, List<AudioFeatures> Labels)[k];
        Parallel.For(0, k, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount), CancellationToken = cancellationToken, TaskScheduler = TaskScheduler.Current }, f =>
        {
            var others = examples.Where((_, i) => fold[i] != f).ToList();
            var featurizer = new MetadataFeaturizer(FeatureStatisticsBuilder.Build(others, index));
            var random = new Random(unchecked((options.Seed * 397) + f)); // not HashCode.Combine: randomised per process
            var rows = new List<float[]>();
            var labels = new List<AudioFeatures>();
            for (var i = 0; i < examples.Count; i++)
            {
                if (fold[i] != f)
                {
                    continue;
                }

                var e = examples[i];
                var meta = e.Metadata with { Genres = FeatureStatisticsBuilder.TrainingGenres(e) };
                var x = new float[featurizer.Length];
                featurizer.Featurize(meta, x);
                rows.Add(x);
                labels.Add(e.Features);
                if (options.MaskedCopies)
                {
                    // Library tracks are mostly by artists the catalog does not know, and Development Mode hides
                    // popularity and genres: the masked copy shows the model those cases with the same label.
                    var mask = random.Next(4);
                    var hideArtist = mask != 2;
                    var masked = meta with
                    {
                        Popularity = mask is 1 or 2 or 3 ? null : meta.Popularity,
                        Genres = mask is 1 or 2 ? [] : meta.Genres,
                    };
                    var xm = new float[featurizer.Length];
                    featurizer.Featurize(masked, xm, null, hideArtist);
                    rows.Add(xm);
                    labels.Add(e.Features);
                }
            }

            parts[f] = (rows, labels);
        });

        return (parts.SelectMany(p => p.Rows).ToList(), parts.SelectMany(p => p.Labels).ToList());
    }

    /// <summary>The estimator for one feature's regressor.</summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext ml, MetadataTrainingOptions options) => options.Trainer switch
    {
        MetadataTrainers.LightGbm => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = MetadataSchema.LabelColumn,
            FeatureColumnName = MetadataSchema.FeaturesColumn,
            NumberOfIterations = options.Trees,
            NumberOfLeaves = options.Leaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            Seed = options.Seed,
            NumberOfThreads = 1,
            MaximumBinCountPerFeature = options.MaxBins,
            Booster = new GradientBooster.Options { SubsampleFraction = options.SubsampleFraction, SubsampleFrequency = 1, FeatureFraction = options.FeatureFraction, L2Regularization = 1.0 },
        }),
        // FastTree and FastForest drop every row with a missing input, so they see missing values as the column mean.
        MetadataTrainers.FastTree => ImputeMissing(ml).Append(ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            LabelColumnName = MetadataSchema.LabelColumn,
            FeatureColumnName = MetadataSchema.FeaturesColumn,
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            Seed = options.Seed,
            FeatureFraction = options.FeatureFraction,
            NumberOfThreads = 1,
        })),
        MetadataTrainers.FastForest => ImputeMissing(ml).Append(ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
        {
            LabelColumnName = MetadataSchema.LabelColumn,
            FeatureColumnName = MetadataSchema.FeaturesColumn,
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            Seed = options.Seed,
            NumberOfThreads = 1,
        })),
        MetadataTrainers.Sdca => ImputeMissing(ml)
            .Append(ml.Transforms.NormalizeMeanVariance(MetadataSchema.FeaturesColumn))
            .Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = MetadataSchema.LabelColumn,
                FeatureColumnName = MetadataSchema.FeaturesColumn,
                MaximumNumberOfIterations = 50,
                NumberOfThreads = 1,
            })),
        _ => throw new ArgumentException($"unknown trainer '{options.Trainer}' (known: {string.Join(", ", MetadataTrainers.All)})", nameof(options)),
    };

    private static IEstimator<ITransformer> ImputeMissing(MLContext ml) =>
        ml.Transforms.ReplaceMissingValues(MetadataSchema.FeaturesColumn, replacementMode: Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.Mean);

    private static int FoldOf(TrainingExample e, int k, int seed)
    {
        // Stable across runs and processes (string.GetHashCode is randomised per process).
        var key = e.Metadata.Id ?? TextKeys.Normalize(e.Metadata.PrimaryArtist) + "|" + TextKeys.Title(e.Metadata.Name);
        return (int)(StableHash.Fnv1a(key, (uint)seed * 2654435761u) % (uint)k);
    }
}
