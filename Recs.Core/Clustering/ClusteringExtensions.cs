using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Recs.Core.Clustering;

public static class ClusteringExtensions
{
    /// <summary>Binds <see cref="ClusteringOptions"/> (section <c>Clustering</c>, validated at start) and registers <see cref="LibraryClusterer"/>.</summary>
    public static IHostApplicationBuilder AddClustering(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusteringOptions>()
            .Bind(builder.Configuration.GetSection(ClusteringOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<LibraryClusterer>();
        return builder;
    }
}
