using Recs.Core.Clustering;
using Microsoft.Extensions.Logging;
using Recs.Core.Prediction;
using Recs.Core.Prediction.Serving;

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

    /// <summary>
    /// Loads a version's files from its directory (<see cref="ModelArtifacts.Load"/>: the cluster model, the catalog
    /// lookup and, when the directory has them, the metadata models).
    /// </summary>
    /// <exception cref="InvalidDataException">A file is missing or malformed; the message names it.</exception>
    public static RecsModel Load(ModelVersion version, ILogger? logger = null)
    {
        if (!System.IO.Directory.Exists(version.Directory))
        {
            throw new InvalidDataException($"model version {version.Id}: directory not found: {version.Directory}");
        }

        var loaded = new ModelArtifacts(version.Directory).Load();
        logger?.LogInformation("Loaded model {Version}: k={K}, {Tracks} catalog tracks, predictor {Predictor}",
            version.Id, loaded.Clusters.K, loaded.Catalog.Count, loaded.Predictor is null ? "none" : loaded.Predictor.GetType().Name);
        return new RecsModel(version, loaded.Clusters, loaded.Catalog, loaded.Predictor);
    }
}
