using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Recs.Core.Models;

public static class ModelsExtensions
{
    /// <summary>Registers the model registry and the process-wide <see cref="ActiveModel"/>.</summary>
    public static IHostApplicationBuilder AddModels(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ActiveModel>();
        builder.Services.TryAddSingleton<ModelRegistry>();
        return builder;
    }
}
