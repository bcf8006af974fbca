using Microsoft.Extensions.DependencyInjection;

namespace Recs.Core.Jobs;

public static class JobHandlersExtensions
{
    /// <summary>Registers one <see cref="IJobHandler"/> per <see cref="JobKind"/> (scoped: one per job run).</summary>
    public static IServiceCollection AddRecsJobHandlers(this IServiceCollection services)
    {
        services.AddScoped<IJobHandler, ImportCatalogJobHandler>();
        services.AddScoped<IJobHandler, ImportArtistGenresJobHandler>();
        services.AddScoped<IJobHandler, EnrichmentJobHandler>();
        services.AddScoped<IJobHandler, TrainingJobHandler>();
        services.AddScoped<IJobHandler, FeatureFetchJobHandler>();
        return services;
    }
}
