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
        builder.Services.TryAddSingleton<ModelFileStore>();
        builder.Services.TryAddSingleton<ActiveModel>();
        builder.Services.TryAddSingleton<ModelRegistry>();
        return builder;
    }

    /// <summary>
    /// For a long-running host (the web app): loads the active model as the host starts (readiness says "starting:
    /// loading model" until then) and polls the registry every <see cref="RecsModelsOptions.PollInterval"/>, so that
    /// activations made by other instances are served here (ADR-151).
    /// </summary>
    public static IHostApplicationBuilder AddActiveModelPolling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<ActiveModelPoller>();
        return builder;
    }
}
