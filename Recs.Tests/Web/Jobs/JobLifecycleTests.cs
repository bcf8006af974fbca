using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recs.Core.Jobs;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;
using Recs.Web.Jobs;

namespace Recs.Tests.Web.Jobs;

/// <summary>The job framework with the real hosted runners in the real app; only what a job does is scripted.</summary>
public sealed class JobLifecycleTests
{
    [Fact]
    public async Task AQueuedJobRunsRecordsWhoStartedItItsParametersProgressAndOutcome()
    {
        var handler = new ScriptedJobHandler(JobKind.Training, resumable: false);
        await using var factory = new RecsWebFactory().WithServices(handler.Register());
        var jobs = factory.Services.GetRequiredService<JobService>();

        var started = await jobs.StartAsync(new TrainingParameters(K: 6, Seed: 7), "admin-1");
        Assert.True(started.Ok, started.Message);
        var id = started.JobId!.Value;

        var running = await factory.Services.WaitForJobAsync(id, j => j is { Status: JobStatus.Running, Done: 3 });
        Assert.Equal(10, running.Total);
        Assert.Equal("three of ten", running.Message);
        Assert.NotNull(running.StartedAt);

        handler.Release.SetResult();
        var done = await factory.Services.WaitForJobAsync(id, j => j.IsFinished);

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(10, done.Done);
        Assert.Equal("done: 10 items", done.Message);
        Assert.Equal("admin-1", done.StartedBy);
        Assert.NotNull(done.FinishedAt);
        Assert.Equal(10, JsonDocument.Parse(done.ResultJson!).RootElement.GetProperty("items").GetInt32());
        var parameters = JsonDocument.Parse(done.ParametersJson).RootElement;
        Assert.Equal(6, parameters.GetProperty("k").GetInt32());
        Assert.Equal(7, parameters.GetProperty("seed").GetInt32());
        Assert.False(handler.Runs.Single().IsResume);

        // What the page reads later comes from the database, not from memory.
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync();
        var stored = await db.Jobs.SingleAsync(j => j.Id == id);
        Assert.Equal(JobStatus.Succeeded, stored.Status);
        Assert.Equal(10, stored.Done);
    }

    [Fact]
    public async Task StartingAKindThatIsAlreadyRunningIsRefusedWithAClearMessageWhileAnotherKindStillStarts()
    {
        var training = new ScriptedJobHandler(JobKind.Training, resumable: false);
        var genres = new ScriptedJobHandler(JobKind.ImportArtistGenres, resumable: false);
        await using var factory = new RecsWebFactory().WithServices(training.Register()).WithServices(genres.Register());
        var jobs = factory.Services.GetRequiredService<JobService>();

        var first = await jobs.StartAsync(new TrainingParameters(), "admin-1");
        await training.NextRunAsync();
        var second = await jobs.StartAsync(new TrainingParameters(), "admin-2");
        var other = await jobs.StartAsync(new ImportArtistGenresParameters("/tmp/x.csv", "x.csv"), "admin-2");

        Assert.False(second.Ok);
        Assert.Equal(first.JobId, second.JobId);
        Assert.Contains("training job is already running", second.Message);
        Assert.Contains("admin-1", second.Message);
        Assert.True(other.Ok, "one runner per kind: a different kind is not held up");
        await genres.NextRunAsync();

        training.Release.SetResult();
        await factory.Services.WaitForJobAsync(first.JobId!.Value, j => j.Status == JobStatus.Succeeded);
        var third = await jobs.StartAsync(new TrainingParameters(), "admin-2");
        Assert.True(third.Ok, "once the first has finished, the kind can start again");
        genres.Release.SetResult();
    }

    [Fact]
    public async Task CancellingARunningJobStopsItAndRecordsWhoCancelledIt()
    {
        var handler = new ScriptedJobHandler(JobKind.ImportCatalog, resumable: false);
        await using var factory = new RecsWebFactory().WithServices(handler.Register());
        var jobs = factory.Services.GetRequiredService<JobService>();

        var id = (await jobs.StartAsync(new ImportCatalogParameters("/tmp/a.csv", "a.csv"), "admin-1")).JobId!.Value;
        await factory.Services.WaitForJobAsync(id, j => j is { Status: JobStatus.Running, Done: 3 });
        var cancel = await jobs.CancelAsync(id, "admin-2");
        var cancelled = await factory.Services.WaitForJobAsync(id, j => j.IsFinished);

        Assert.True(cancel.Ok);
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal("cancelled by admin-2", cancelled.Message);
        Assert.Equal(3, cancelled.Done);
        Assert.False((await jobs.CancelAsync(id, "admin-2")).Ok, "a finished job cannot be cancelled again");
    }

    [Fact]
    public async Task AFailingJobIsMarkedFailedWithItsErrorAndTheRunnerGoesOn()
    {
        var handler = new ScriptedJobHandler(JobKind.ImportCatalog, resumable: false)
        {
            Script = (_, _) => throw new InvalidDataException("catalog.csv line 3: energy is not a number"),
        };
        await using var factory = new RecsWebFactory().WithServices(handler.Register());
        var jobs = factory.Services.GetRequiredService<JobService>();

        var first = (await jobs.StartAsync(new ImportCatalogParameters("/tmp/a.csv", "a.csv"), "admin-1")).JobId!.Value;
        var failed = await factory.Services.WaitForJobAsync(first, j => j.IsFinished);
        handler.Script = (_, _) => Task.FromResult(JobOutcome.Succeeded());
        var second = (await jobs.StartAsync(new ImportCatalogParameters("/tmp/a.csv", "a.csv"), "admin-1")).JobId!.Value;
        var succeeded = await factory.Services.WaitForJobAsync(second, j => j.IsFinished);

        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("catalog.csv line 3: energy is not a number", failed.Error);
        Assert.Equal(JobStatus.Succeeded, succeeded.Status);
    }

    [Fact]
    public async Task EnrichmentPausesAndResumesWhereItStoppedWhileTrainingCannotBePaused()
    {
        var enrichment = new ScriptedJobHandler(JobKind.Enrichment, resumable: true);
        var training = new ScriptedJobHandler(JobKind.Training, resumable: false);
        await using var factory = new RecsWebFactory().WithServices(enrichment.Register()).WithServices(training.Register());
        var jobs = factory.Services.GetRequiredService<JobService>();

        var id = (await jobs.StartAsync(new EnrichmentParameters(BatchSize: 20, Delay: 0, Limit: 100), "admin-1")).JobId!.Value;
        await factory.Services.WaitForJobAsync(id, j => j is { Status: JobStatus.Running, Done: 3 });
        Assert.True((await jobs.PauseAsync(id, "admin-1")).Ok);
        var paused = await factory.Services.WaitForJobAsync(id, j => j.Status == JobStatus.Paused);
        Assert.Equal("paused by admin-1", paused.Message);
        Assert.Null(paused.PausedUntil);
        Assert.False((await jobs.StartAsync(new EnrichmentParameters(), "admin-2")).Ok, "a paused job still blocks its kind");

        enrichment.Release.SetResult();
        Assert.True((await jobs.ResumeAsync(id, "admin-2")).Ok);
        var done = await factory.Services.WaitForJobAsync(id, j => j.IsFinished);

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(2, done.Runs);
        Assert.Equal([false, true], enrichment.Runs.Select(r => r.IsResume));
        Assert.Equal(100, enrichment.Runs[1].Parameters<EnrichmentParameters>().Limit);

        var trainingId = (await jobs.StartAsync(new TrainingParameters(), "admin-1")).JobId!.Value;
        await training.NextRunAsync();
        var refused = await jobs.PauseAsync(trainingId, "admin-1");
        Assert.False(refused.Ok);
        Assert.Contains("cannot be paused", refused.Message);
        training.Release.SetResult();
    }

    [Fact]
    public async Task AQuotaPauseIsPersistedAndTheJobResumesByItselfWhenTheTimeComes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var handler = new ScriptedJobHandler(JobKind.Enrichment, resumable: true);
        var until = clock.GetUtcNow().AddHours(3);
        handler.Script = (run, _) =>
        {
            run.Progress.Report(new JobProgress(run.IsResume ? 40 : 25, 40, SpotifyMode: "development"));
            return Task.FromResult(run.IsResume ? JobOutcome.Succeeded() : JobOutcome.PauseUntil(until, "Spotify quota exceeded"));
        };
        await using var factory = new RecsWebFactory()
            .WithServices(handler.Register())
            .WithServices(s => s.AddSingleton<TimeProvider>(clock));
        var jobs = factory.Services.GetRequiredService<JobService>();

        var id = (await jobs.StartAsync(new EnrichmentParameters(), "admin-1")).JobId!.Value;
        var paused = await factory.Services.WaitForJobAsync(id, j => j.Status == JobStatus.Paused);

        Assert.Equal(until, paused.PausedUntil);
        Assert.Equal("Spotify quota exceeded", paused.Message);
        Assert.Equal(25, paused.Done);
        Assert.Equal("development", paused.SpotifyMode);
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(until, (await db.Jobs.SingleAsync(j => j.Id == id)).PausedUntil);
        }

        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(JobStatus.Paused, (await jobs.GetAsync(id))!.Status);
        clock.Advance(TimeSpan.FromHours(1));
        var done = await factory.Services.WaitForJobAsync(id, j => j.IsFinished);

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(40, done.Done);
        Assert.Null(done.PausedUntil);
        Assert.Equal(2, handler.Runs.Count);
    }

    [Fact]
    public async Task AfterARestartARunningEnrichmentResumesAndARunningTrainingIsMarkedInterruptedWithTheReason()
    {
        using var dataDir = new TempDirectory();
        Guid enrichmentId;
        Guid crashedTrainingId;
        Guid quotaPausedId;

        var firstEnrichment = new ScriptedJobHandler(JobKind.Enrichment, resumable: true);
        await using (var first = new RecsWebFactory(dataDir.Path).WithServices(firstEnrichment.Register()))
        {
            var jobs = first.Services.GetRequiredService<JobService>();
            enrichmentId = (await jobs.StartAsync(new EnrichmentParameters(Limit: 10), "admin-1")).JobId!.Value;
            await first.Services.WaitForJobAsync(enrichmentId, j => j is { Status: JobStatus.Running, Done: 3 });
        }

        // A process that was killed leaves its rows as they were: a training Running, and an enrichment paused for
        // quota whose time has passed while the app was down.
        await using (var db = new RecsDbContext(new DbContextOptionsBuilder<RecsDbContext>().UseSqlite($"Data Source={Path.Combine(dataDir.Path, "recs.db")}").Options))
        {
            Assert.Equal(JobStatus.Running, (await db.Jobs.SingleAsync(j => j.Id == enrichmentId)).Status);
            var now = DateTimeOffset.UtcNow;
            var crashedTraining = Job.Create(new TrainingParameters(), "admin-1", now);
            crashedTraining.Start(now);
            crashedTraining.ReportProgress(2, 5, "two of five", null, null, now);
            var quotaPaused = Job.Create(new ImportArtistGenresParameters("/nonexistent.csv", "g.csv"), "admin-1", now);
            quotaPaused.Start(now);
            quotaPaused.Pause("quota", now, now.AddMinutes(-5));
            db.Jobs.AddRange(crashedTraining, quotaPaused);
            (crashedTrainingId, quotaPausedId) = (crashedTraining.Id, quotaPaused.Id);
            await db.SaveChangesAsync();
        }

        var enrichment = new ScriptedJobHandler(JobKind.Enrichment, resumable: true);
        var training = new ScriptedJobHandler(JobKind.Training, resumable: false);
        var genres = new ScriptedJobHandler(JobKind.ImportArtistGenres, resumable: true) { Script = (_, _) => Task.FromResult(JobOutcome.Succeeded()) };
        await using var second = new RecsWebFactory(dataDir.Path)
            .WithServices(enrichment.Register()).WithServices(training.Register()).WithServices(genres.Register());
        _ = second.Services; // starts the host: recovery runs before it serves anything
        var resumedRun = await enrichment.NextRunAsync();
        Assert.True(resumedRun.IsResume);
        Assert.Equal(10, resumedRun.Parameters<EnrichmentParameters>().Limit);

        var interrupted = await second.Services.WaitForJobAsync(crashedTrainingId, j => j.IsFinished);
        Assert.Equal(JobStatus.Interrupted, interrupted.Status);
        Assert.Contains("The app stopped while this job was running", interrupted.Error);
        Assert.Empty(training.Runs);

        var resumedAfterQuota = await second.Services.WaitForJobAsync(quotaPausedId, j => j.IsFinished);
        Assert.Equal(JobStatus.Succeeded, resumedAfterQuota.Status);

        enrichment.Release.SetResult();
        var done = await second.Services.WaitForJobAsync(enrichmentId, j => j.IsFinished);
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(2, done.Runs);
    }
}
