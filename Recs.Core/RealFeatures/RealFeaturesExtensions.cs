using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Recs.Core.RealFeatures;

public static class RealFeaturesExtensions
{
    /// <summary>Registers <see cref="RealFeatureResolver"/> (needs the feature services and the database).</summary>
    public static IHostApplicationBuilder AddRealFeatures(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<RealFeatureResolver>();
        return builder;
    }
}
