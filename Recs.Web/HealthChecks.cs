using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recs.Core.Models;
using Recs.Core.Persistence;

namespace Recs.Web;

/// <summary>
/// <c>/health</c>: the database and the active model (200 when healthy or degraded, 503 when unhealthy — including
/// "starting: loading model" during a cold start). <c>/health/ready</c>: the same checks, for load balancers and
/// orchestrators (send traffic once it answers 200). <c>/health/live</c>: 200 while the process serves HTTP at all.
/// </summary>
public static class HealthChecks
{
    private const string Ready = "ready";

    public static IHostApplicationBuilder AddRecsHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<RecsDbContext>("database", tags: [Ready])
            .AddCheck<ActiveModelHealthCheck>("model", tags: [Ready]);
        return builder;
    }

    public static IEndpointRouteBuilder MapRecsHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = WriteAsync, Predicate = c => c.Tags.Contains(Ready) });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { ResponseWriter = WriteAsync, Predicate = _ => false });
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
/// unhealthy ("starting: loading model") until the cold-start load has finished, and when the version marked active
/// cannot be loaded.
/// </summary>
internal sealed class ActiveModelHealthCheck(IDbContextFactory<RecsDbContext> dbFactory, ActiveModel activeModel) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (activeModel.IsStarting)
        {
            // Answer at once (the load goes on): a load balancer must not send listeners here yet.
            return HealthCheckResult.Unhealthy("starting: loading model", data: new Dictionary<string, object> { ["starting"] = true });
        }

        var model = await activeModel.GetAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var catalog = await db.CatalogTracks.CountAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["catalog_tracks"] = catalog };
        if (activeModel.LoadError is { } error)
        {
            data["loads"] = activeModel.Loads;
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
        data["loads"] = activeModel.Loads;
        return HealthCheckResult.Healthy($"model {model.VersionId}", data);
    }
}
