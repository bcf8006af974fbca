using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Recs.Core.Clustering;

/// <summary>
/// Trains a <see cref="ClusterModel"/> with ML.NET k-means: fit the scaler on the catalog, scale, run k-means with
/// k-means++ initialisation from <c>MLContext(seed)</c> on one thread (so the same data and seed give the same
/// centroids), then order the clusters canonically and name them.
/// </summary>
public static class ClusterModelTrainer
{
    /// <summary>The trainer as recorded in <see cref="ClusterModelInfo.Trainer"/>.</summary>
    public const string TrainerName = "ml.net kmeans (k-means++ init)";

    /// <summary>The k-means pipeline over the scaled feature vector column (a pure function, no data touched).</summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext ml, int k, int maxIterations) =>
        ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = nameof(ScaledRow.Features),
            NumberOfClusters = k,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
            MaximumNumberOfIterations = maxIterations,
            OptimizationTolerance = 1e-7f,
            // Parallel k-means reduces in a timing-dependent order; one thread keeps runs bit-for-bit reproducible.
            NumberOfThreads = 1,
        });

    /// <summary>Trains on catalog features. Rows with tempo 0 (not detected) shape the scaler's other features only.</summary>
    public static ClusterModel Train(IReadOnlyList<AudioFeatures> catalog, ClusteringOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var fitRows = catalog.Where(f => f.HasTempo).ToList();
        if (fitRows.Count < options.K)
        {
            throw new InvalidOperationException($"cannot train {options.K} clusters on {fitRows.Count} catalog tracks with a detected tempo");
        }

        var scaler = FeatureScaler.Fit(catalog);
        var ml = new MLContext(options.Seed);
        var rows = new ScaledRow[fitRows.Count];
        Span<double> buffer = stackalloc double[AudioFeatures.Count];
        for (var r = 0; r < rows.Length; r++)
        {
            scaler.Scale(fitRows[r], buffer);
            var v = new float[AudioFeatures.Count];
            for (var i = 0; i < v.Length; i++)
            {
                v[i] = (float)buffer[i];
            }

            rows[r] = new ScaledRow { Features = v };
        }

        var data = ml.Data.LoadFromEnumerable(rows);
        var model = (ClusteringPredictionTransformer<KMeansModelParameters>)BuildPipeline(ml, options.K, options.MaxIterations).Fit(data);
        VBuffer<float>[] centroids = [];
        model.Model.GetClusterCentroids(ref centroids, out var k);

        var scaled = centroids.Take(k).Select(c => c.DenseValues().Select(v => (double)v).ToArray()).ToList();
        // ML.NET's cluster ids follow its random initialisation; order them from calm to energetic so ids read the same way
        // in every model (and the UI lists clusters in a meaningful order).
        var ordered = scaled.OrderBy(c => c[1] + c[4]).ThenBy(c => c[0]).ThenBy(c => c[2]).ThenBy(c => c[3]).ToList();
        var info = new ClusterModelInfo(k, options.Seed, TrainerName, options.MaxIterations, fitRows.Count, catalog.Count - fitRows.Count);
        return new ClusterModel(scaler, ordered, info);
    }

    /// <summary>Trains the model and builds the catalog lookup in one go (what a training run persists).</summary>
    public static TrainedClusterModel TrainWithLookup(IReadOnlyList<CatalogLookupEntry> catalog, ClusteringOptions options)
    {
        var model = Train(catalog.Select(e => e.Features).ToList(), options);
        return new TrainedClusterModel(model, CatalogClusterLookup.Build(model, catalog));
    }

    /// <summary>One row of the k-means input: the scaled five-feature vector.</summary>
    public sealed class ScaledRow
    {
        [VectorType(AudioFeatures.Count)]
        public float[] Features { get; set; } = [];
    }
}

/// <summary>A freshly trained cluster model with the lookup of every catalog track (saved by <c>ModelArtifacts.SaveClusters</c>).</summary>
public sealed record TrainedClusterModel(ClusterModel Model, CatalogClusterLookup Lookup);
