using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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

/// <summary>Healthy with the active model version, or degraded while none is active yet (e.g. the demo is being built).</summary>
internal sealed class ActiveModelHealthCheck(IDbContextFactory<RecsDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.ModelVersions.AsNoTracking().Where(m => m.IsActive)
            .Select(m => new { m.Id, m.IsDemo, m.TrainingTracks }).FirstOrDefaultAsync(cancellationToken);
        var catalog = await db.CatalogTracks.CountAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["catalog_tracks"] = catalog };
        if (active is null)
        {
            return HealthCheckResult.Degraded("no active model yet", data: data);
        }

        data["model_version"] = active.Id;
        data["demo"] = active.IsDemo;
        data["training_tracks"] = active.TrainingTracks;
        return HealthCheckResult.Healthy($"model {active.Id}", data);
    }
}
