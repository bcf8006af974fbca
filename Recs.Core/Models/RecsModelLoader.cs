using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Recs.Core.Clustering;
using Recs.Core.Prediction;

namespace Recs.Core.Models;

/// <summary>Reads a model version's files from disk into a <see cref="RecsModel"/>.</summary>
public sealed class RecsModelLoader(IEnumerable<IPredictorLoader> predictorLoaders, ILogger<RecsModelLoader>? logger = null)
{
    private readonly IPredictorLoader? _predictorLoader = predictorLoaders.LastOrDefault();
    private readonly ILogger _logger = logger ?? NullLogger<RecsModelLoader>.Instance;

    /// <summary>Loads the cluster model, the catalog lookup and (when a loader is registered) the predictor.</summary>
    /// <exception cref="InvalidDataException">A file is missing or malformed; the message names it.</exception>
    public RecsModel Load(ModelVersion version)
    {
        if (!Directory.Exists(version.Directory))
        {
            throw new InvalidDataException($"model version {version.Id}: directory not found: {version.Directory}");
        }

        var clusters = ClusterModel.Load(version.Directory);
        var catalog = CatalogClusterLookup.Load(version.Directory);
        var predictor = _predictorLoader?.Load(version.Directory);
        _logger.LogInformation("Loaded model {Version}: k={K}, {Tracks} catalog tracks, predictor {Predictor}",
            version.Id, clusters.K, catalog.Count, predictor is null ? "none" : predictor.GetType().Name);
        return new RecsModel(version, clusters, catalog, predictor);
    }
}
