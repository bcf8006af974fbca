using Recs.Core.Clustering;

namespace Recs.Core.Prediction.Serving;

/// <summary>A catalog track near a feature vector (in the cluster model's scaled space).</summary>
/// <param name="Id">Spotify track id.</param>
/// <param name="Features">Its true features.</param>
/// <param name="Cluster">Its cluster in the model.</param>
/// <param name="Distance">Euclidean distance in z-scores.</param>
public sealed record SimilarTrack(string Id, AudioFeatures Features, int Cluster, double Distance);

/// <summary>"Similar tracks": the k nearest catalog tracks to any feature vector, known or predicted.</summary>
public static class SimilarTracks
{
    /// <summary>
    /// The <paramref name="k"/> catalog tracks nearest to <paramref name="features"/> (scaled with the model's scaler),
    /// nearest first; <paramref name="excludeId"/> (the track itself) is left out.
    /// </summary>
    public static IReadOnlyList<SimilarTrack> Find(ClusterModel model, CatalogClusterLookup catalog, AudioFeatures features, int k, string? excludeId = null)
    {
        if (k <= 0 || catalog.Count == 0)
        {
            return [];
        }

        var query = model.Scale(features);
        var vectors = catalog.ScaledVectors;
        // A bounded max-heap on distance keeps the k best of one linear scan (a catalog is at most ~100k tracks).
        var best = new PriorityQueue<int, double>(k + 1, Comparer<double>.Create((a, b) => b.CompareTo(a)));
        for (var i = 0; i < catalog.Count; i++)
        {
            var d = 0.0;
            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                var diff = vectors[(i * AudioFeatures.Count) + f] - query[f];
                d += diff * diff;
            }

            if (best.Count < k)
            {
                if (excludeId is null || catalog.Ids[i] != excludeId)
                {
                    best.Enqueue(i, d);
                }
            }
            else if (best.TryPeek(out _, out var worst) && d < worst && (excludeId is null || catalog.Ids[i] != excludeId))
            {
                best.DequeueEnqueue(i, d);
            }
        }

        var result = new List<SimilarTrack>(best.Count);
        while (best.TryDequeue(out var i, out var d))
        {
            result.Add(new SimilarTrack(catalog.Ids[i], catalog.Features(i), catalog.Cluster(i), Math.Sqrt(d)));
        }

        result.Reverse();
        return result;
    }
}

/// <summary>
/// The library API of docs/contracts.md §Pipeline (item 6), usable without the web host: load a model version directory (what
/// <c>train</c> writes), then <see cref="Predict(TrackMetadata)"/> (the original
/// <c>predict_audio_features_from_metadata</c>) and <see cref="PredictCluster"/> (<c>predict_cluster_from_features</c>).
/// Immutable and thread-safe.
/// </summary>
public sealed class RecsPredictor
{
    private RecsPredictor(ClusterModel clusters, CatalogClusterLookup catalog, MetadataPredictor predictor)
    {
        Clusters = clusters;
        Catalog = catalog;
        Metadata = predictor;
    }

    public ClusterModel Clusters { get; }

    public CatalogClusterLookup Catalog { get; }

    public MetadataPredictor Metadata { get; }

    /// <summary>Loads a model version directory (through <see cref="ModelArtifacts"/>, as activation does).</summary>
    /// <exception cref="InvalidDataException">A file is missing or malformed.</exception>
    public static RecsPredictor Load(string directory)
    {
        var files = new ModelArtifacts(directory);
        var loaded = files.Load();
        return new RecsPredictor(loaded.Clusters, loaded.Catalog, loaded.Predictor ?? files.LoadPredictor());
    }

    /// <summary>Predicted features of one track with their confidence tier.</summary>
    public FeaturePrediction Predict(TrackMetadata track) => Metadata.Predict(track);

    /// <summary>Predicted features of many tracks (one batch; the same results as one by one).</summary>
    public IReadOnlyList<FeaturePrediction> Predict(IReadOnlyList<TrackMetadata> tracks) => Metadata.Predict(tracks);

    /// <summary>The cluster of a feature vector (nearest centroid).</summary>
    public int PredictCluster(AudioFeatures features) => Clusters.Assign(features);

    /// <summary>The human name of a cluster, e.g. "fast · energetic · happy".</summary>
    public string ClusterName(int cluster) => Clusters.Names[cluster];

    /// <summary>The k catalog tracks nearest to a feature vector.</summary>
    public IReadOnlyList<SimilarTrack> SimilarTracks(AudioFeatures features, int k = 10, string? excludeId = null) =>
        Serving.SimilarTracks.Find(Clusters, Catalog, features, k, excludeId);
}
