using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Recs.Core.Jobs;
using Recs.Core.Persistence;

namespace Recs.Web.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// The admin jobs: queue, one hosted runner per <see cref="JobKind"/>, recovery after a restart, the progress
    /// notifier, uploads, and a handler per kind. Web only (the CLI runs the same Core code directly).
    /// </summary>
    public static IHostApplicationBuilder AddRecsJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>()
            .Bind(builder.Configuration.GetSection(JobsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<JobQueue>();
        builder.Services.AddSingleton<JobInstance>();
        builder.Services.AddSingleton<JobService>();
        builder.Services.AddSingleton<JobProgressNotifier>();
        builder.Services.AddSingleton<JobUploads>();

        // Handlers: small adapters from a job's parameters to the features' Core code.
        builder.Services.AddRecsJobHandlers();

        // Recovery first (hosted services start in order), then one runner per kind.
        builder.Services.AddHostedService<JobRecoveryService>();
        foreach (var kind in Enum.GetValues<JobKind>())
        {
            // Added as plain IHostedService descriptors: AddHostedService would de-duplicate runners of the same type.
            builder.Services.Add(ServiceDescriptor.Singleton<IHostedService>(sp => new JobRunner(
                kind,
                sp.GetRequiredService<JobQueue>(),
                sp.GetRequiredService<JobService>(),
                sp.GetRequiredService<JobInstance>(),
                sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<RecsDbContext>>(),
                sp.GetRequiredService<IServiceScopeFactory>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<JobsOptions>>(),
                sp.GetRequiredService<ILogger<JobRunner>>())));
        }

        // The shared table's poll: work queued elsewhere, expired leases, pauses that are over, progress from elsewhere.
        builder.Services.AddHostedService<JobMonitor>();

        return builder;
    }
}
