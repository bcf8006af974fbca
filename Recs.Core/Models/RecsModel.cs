using Recs.Core.Clustering;
using Recs.Core.Prediction;

namespace Recs.Core.Models;

/// <summary>
/// One loaded model version: everything a request needs to cluster a library, swapped as a unit on activation.
/// A request takes <see cref="ActiveModel.Current"/> once at its start and uses only that bundle, so it finishes on
/// the version it started with even if another version is activated meanwhile. Immutable and thread-safe.
/// </summary>
/// <param name="Version">The version's database row (a detached snapshot: do not modify).</param>
/// <param name="Clusters">Scaler, centroids and names.</param>
/// <param name="Catalog">Every catalog track → cluster + features, by Spotify id and by primary artist + title.</param>
/// <param name="Predictor">The metadata → features predictor, or null when the version has none (cluster from the catalog only).</param>
public sealed record RecsModel(ModelVersion Version, ClusterModel Clusters, CatalogClusterLookup Catalog, IAudioFeaturePredictor? Predictor)
{
    /// <summary>The version id (e.g. "20261125-142501-k9").</summary>
    public string VersionId => Version.Id;
}

/// <summary>
/// Loads a version's metadata → features predictor from its directory. Implemented by the prediction feature and
/// registered in DI; when none is registered, loaded models have no predictor.
/// </summary>
public interface IPredictorLoader
{
    /// <summary>The predictor stored in <paramref name="directory"/>, or null when the directory holds none.</summary>
    IAudioFeaturePredictor? Load(string directory);
}
