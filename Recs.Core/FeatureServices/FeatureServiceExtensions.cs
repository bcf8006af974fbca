using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Recs.Core.FeatureServices;

public static class FeatureServiceExtensions
{
    /// <summary>
    /// Registers <see cref="FeatureServiceOptions"/> (validated at start-up), <see cref="IKnownFeatureLookup"/> and the
    /// features service client of the configured provider.
    /// </summary>
    public static IHostApplicationBuilder AddFeatureServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FeatureServiceOptions>()
            .Bind(builder.Configuration.GetSection(FeatureServiceOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FeatureServiceOptions>, FeatureServiceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKnownFeatureLookup, KnownFeatureLookup>();
        return builder;
    }
}
