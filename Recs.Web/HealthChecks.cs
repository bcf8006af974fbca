using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recs.Core.Models;
using Recs.Core.Persistence;

namespace Recs.Web;

/// <summary><c>/health</c>: the database and the active model.</summary>
public static class HealthChecks
{
    public static IHostApplicationBuilder AddRecsHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<RecsDbContext>("database")
            .AddCheck<ActiveModelHealthCheck>("model");
        return builder;
    }

    public static IEndpointRouteBuilder MapRecsHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}

/// <summary>
/// Healthy with the loaded active model version; degraded while none is active yet (e.g. the demo is being built);
/// unhealthy when the version marked active cannot be loaded from disk.
/// </summary>
internal sealed class ActiveModelHealthCheck(IDbContextFactory<RecsDbContext> dbFactory, ActiveModel activeModel) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var model = await activeModel.GetAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var catalog = await db.CatalogTracks.CountAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["catalog_tracks"] = catalog };
        if (activeModel.LoadError is { } error)
        {
            return HealthCheckResult.Unhealthy($"active model cannot be loaded: {error}", data: data);
        }

        if (model is null)
        {
            return HealthCheckResult.Degraded("no active model yet", data: data);
        }

        data["model_version"] = model.VersionId;
        data["demo"] = model.Version.IsDemo;
        data["training_tracks"] = model.Version.TrainingTracks;
        data["k"] = model.Clusters.K;
        data["catalog_lookup_tracks"] = model.Catalog.Count;
        data["predictor"] = model.Predictor is not null;
        return HealthCheckResult.Healthy($"model {model.VersionId}", data);
    }
}
