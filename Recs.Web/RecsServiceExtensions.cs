using Recs.Core.Catalog;
using Recs.Core.Clustering;
using Recs.Core.Models;
using Recs.Core.Persistence;
using Recs.Core.Prediction;
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

        // Spotify (typed client, app-only tokens, library fetch, enrichment)
        builder.AddSpotify();

        // Clustering, model versions (registry, active model) and prediction (trainer, predictor loader)
        builder.AddClustering();
        builder.AddModels();
        builder.AddPrediction();
        return builder;
    }
}
