using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recs.Core;
using Recs.Core.Demo;
using Recs.Core.Persistence;
using Recs.Core.Prediction;
using Recs.Web.Cli;
using Recs.Core.Prediction.Training;

namespace Recs.Web.Demo;

/// <summary>Options of the <c>Demo</c> section: the size of the generated demo catalog.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Tracks in the generated demo catalog.</summary>
    public int Tracks { get; set; } = DemoCatalogGenerator.DefaultTrackCount;

    /// <summary>Boosting rounds of the demo model's regressors (fewer start the demo sooner).</summary>
    public int Trees { get; set; } = 200;
}

/// <summary>What the app is doing about its catalog and models, for the Home page.</summary>
public enum DemoSeedingStatus
{
    /// <summary>Not looked yet (start-up).</summary>
    Starting,

    /// <summary>Demo seeding is off (<c>Recs:SeedDemo=false</c>) and the catalog is empty.</summary>
    Empty,

    /// <summary>Writing the synthetic demo catalog.</summary>
    GeneratingCatalog,

    /// <summary>Training the demo model version.</summary>
    Training,

    /// <summary>The demo catalog and its model are ready.</summary>
    DemoReady,

    /// <summary>The catalog holds real (imported) tracks: nothing was generated.</summary>
    RealCatalog,

    /// <summary>Seeding failed; <see cref="DemoSeedingState.Message"/> says why.</summary>
    Failed,
}

/// <summary>The seeding state, shared by the seeder and the UI (singleton, thread-safe).</summary>
public sealed class DemoSeedingState
{
    private readonly Lock _lock = new();

    public DemoSeedingStatus Status { get; private set; } = DemoSeedingStatus.Starting;

    public string Message { get; private set; } = "";

    public double Fraction { get; private set; }

    /// <summary>Raised after every change (on the seeder's thread).</summary>
    public event Action? Changed;

    public void Set(DemoSeedingStatus status, string message, double fraction = 0)
    {
        lock (_lock)
        {
            Status = status;
            Message = message;
            Fraction = fraction;
        }

        Changed?.Invoke();
    }
}

/// <summary>
/// docs/contracts.md §Demo: on start, when the catalog is empty and <c>Recs:SeedDemo</c> is on, generates the deterministic demo
/// catalog (tracks and artists, marked as demo) and trains a demo model version in the background.
/// </summary>
public sealed class DemoSeeder(
    IDbContextFactory<RecsDbContext> dbFactory,
    RecsTrainer trainer,
    DemoSeedingState state,
    IOptions<RecsOptions> recsOptions,
    IOptions<DemoOptions> demoOptions,
    RecsDatabaseLocks locks,
    ILogger<DemoSeeder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting before the heavy work.
        await Task.Yield();
        try
        {
            await SeedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; a half-seeded demo catalog is finished on the next start (training runs when no model exists).
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Demo seeding failed");
            state.Set(DemoSeedingStatus.Failed, ex.Message);
        }
    }

    /// <summary>
    /// Under the <see cref="RecsDatabaseLocks.DemoSeeding"/> lock held across every instance sharing the database: when
    /// two instances start together on an empty database, the second waits, then finds the demo catalog and its model
    /// there and generates nothing (the model reaches it through the registry poll).
    /// </summary>
    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var held = await locks.TryAcquireAsync(RecsDatabaseLocks.DemoSeeding, cancellationToken);
        if (held is null)
        {
            state.Set(DemoSeedingStatus.Starting, "another instance is preparing the catalog; waiting for it");
            logger.LogInformation("Another instance holds the demo seeding lock: waiting for it");
            held = await locks.AcquireAsync(RecsDatabaseLocks.DemoSeeding, cancellationToken);
        }

        await using (held)
        {
            await SeedLockedAsync(cancellationToken);
        }
    }

    private async Task SeedLockedAsync(CancellationToken cancellationToken)
    {
        int tracks;
        bool anyModel;
        bool anyReal;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            tracks = await db.CatalogTracks.CountAsync(cancellationToken);
            anyReal = await db.CatalogTracks.AnyAsync(t => t.Source != Recs.Core.Catalog.CatalogSources.Demo, cancellationToken);
            anyModel = await db.ModelVersions.AnyAsync(cancellationToken);
        }

        if (anyReal)
        {
            state.Set(DemoSeedingStatus.RealCatalog, $"{tracks:N0} catalog tracks");
            return;
        }

        if (tracks == 0 && !recsOptions.Value.SeedDemo)
        {
            state.Set(DemoSeedingStatus.Empty, "the catalog is empty and demo seeding is off");
            return;
        }

        if (tracks == 0)
        {
            var size = Math.Max(100, demoOptions.Value.Tracks);
            state.Set(DemoSeedingStatus.GeneratingCatalog, $"generating {size:N0} synthetic demo tracks");
            logger.LogInformation("Catalog is empty: generating a demo catalog of {Tracks} tracks", size);
            var demo = DemoCatalogGenerator.Generate(trackCount: size);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.CatalogTracks.AddRange(demo.Tracks);
            db.Artists.AddRange(demo.Artists);
            await db.SaveChangesAsync(cancellationToken);
            tracks = demo.Tracks.Count;
        }

        if (anyModel)
        {
            state.Set(DemoSeedingStatus.DemoReady, $"demo catalog of {tracks:N0} tracks");
            return;
        }

        state.Set(DemoSeedingStatus.Training, "training the demo model", 0);
        // Reported inline (not through Progress<T>, which posts to the pool): a late report must never overwrite "ready".
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            state.Set(DemoSeedingStatus.Training, p.Message, p.Fraction);
            logger.LogInformation("Demo training: {Message}", p.Message);
        });
        var result = await trainer.TrainAsync(new RecsTrainingRequest
        {
            CreatedBy = "startup",
            RandomSplit = false,
            Metadata = new MetadataTrainingOptions { Trees = Math.Max(10, demoOptions.Value.Trees) },
        }, progress, cancellationToken);
        state.Set(DemoSeedingStatus.DemoReady, $"demo model {result.ModelVersion} trained on {result.TrainingTracks:N0} demo tracks", 1);
        logger.LogInformation("Demo model {Version} ready", result.ModelVersion);
    }
}

public static class DemoSeederExtensions
{
    /// <summary>Registers the start-up demo seeding (docs/contracts.md §Demo) and its state for the UI.</summary>
    public static IHostApplicationBuilder AddDemoSeeding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().Bind(builder.Configuration.GetSection(DemoOptions.SectionName));
        builder.Services.AddSingleton<DemoSeedingState>();
        builder.Services.AddHostedService<DemoSeeder>();
        return builder;
    }
}
