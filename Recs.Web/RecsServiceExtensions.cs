using Recs.Core.Catalog;
using Recs.Core.Clustering;
using Recs.Core.FeatureServices;
using Recs.Core.Models;
using Recs.Core.Persistence;
using Recs.Core.Prediction;
using Recs.Core.RealFeatures;
using Recs.Core.Spotify;

namespace Recs.Web;

/// <summary>The services the web app and the CLI verbs share: one place, so both behave the same.</summary>
public static class RecsServiceExtensions
{
    public static IHostApplicationBuilder AddRecsServices(this IHostApplicationBuilder builder)
    {
        // Persistence
        builder.AddRecsPersistence();

        // Catalog
        builder.AddCatalog();

        // Clustering and model versions
        builder.AddClustering();
        builder.AddModels();

        // Prediction (trainer, predictor loader for every loaded model version)
        builder.AddPrediction();

        // Spotify (typed client, app-only tokens, library fetch, enrichment)
        builder.AddSpotify();

        // Real audio features: the database cache, then the configured features service (FeatureService section)
        builder.AddFeatureServices();

        // The order of real features per track (file, catalog, service) before prediction
        builder.AddRealFeatures();

        return builder;
    }
}
