using System.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Catalog;
using Recs.Core.Jobs;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeSpotify;
using Recs.Tests.TestSupport.Postgres;
using Recs.Web.Jobs;

namespace Recs.Tests.Web.Jobs;

/// <summary>
/// Two real Recs hosts (Kestrel, separate data directories) on one PostgreSQL database coordinate their jobs through
/// it (ADR-112): one active job per kind across both, each job claimed once, cancel from the other instance, and an
/// enrichment taken over when the instance running it goes away. Short leases keep the tests quick.
/// </summary>
public sealed class MultiInstanceJobTests
{
    private static readonly JobKind[] Kinds = Enum.GetValues<JobKind>();

    [PostgresFact]
    public async Task TwentyStartsSpreadOverTwoInstancesGiveOneActiveJobPerKindAndEveryJobRunsExactlyOnce()
    {
        using var database = PostgresTestServer.CreateDatabase();
        var handlersA = Kinds.Select(k => new ScriptedJobHandler(k, resumable: false)).ToList();
        var handlersB = Kinds.Select(k => new ScriptedJobHandler(k, resumable: false)).ToList();
        await using var a = Instance(database, "a", handlersA);
        await using var b = Instance(database, "b", handlersB);
        a.StartKestrel();
        b.StartKestrel();

        // Twenty starts at once, alternating instances and cycling through the kinds.
        var starts = Enumerable.Range(0, 20).Select(i =>
        {
            var jobs = (i % 2 == 0 ? a : b).Services.GetRequiredService<JobService>();
            return StartAsync(jobs, Kinds[i % Kinds.Length], $"admin-{i}");
        }).ToList();
        var results = await Task.WhenAll(starts);

        var accepted = results.Where(r => r.Ok).Select(r => r.JobId!.Value).ToList();
        Assert.Equal(Kinds.Length, accepted.Count);
        Assert.All(results.Where(r => !r.Ok), r => Assert.Contains("already", r.Message));
        await using (var db = Open(database))
        {
            var active = await db.Jobs.AsNoTracking().Where(j => Job.ActiveStatuses.Contains(j.Status)).ToListAsync();
            Assert.Equal(Kinds.Order(), active.Select(j => j.Kind).Order());
        }

        // Every accepted job is claimed and run by exactly one of the two instances.
        foreach (var id in accepted)
        {
            await a.Services.WaitForJobAsync(id, j => j.Status == JobStatus.Running, TimeSpan.FromSeconds(30));
        }

        foreach (var handler in handlersA.Concat(handlersB))
        {
            handler.Release.TrySetResult();
        }

        foreach (var id in accepted)
        {
            var done = await b.Services.WaitForJobAsync(id, j => j.IsFinished, TimeSpan.FromSeconds(30));
            Assert.True(done.Status == JobStatus.Succeeded, $"{done.Kind}: {done.Status} {done.Error}");
            Assert.Equal(1, done.Runs);
        }

        var runs = handlersA.Concat(handlersB).SelectMany(h => h.Runs).GroupBy(r => r.JobId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(accepted.Order(), runs.Keys.Order());
        Assert.All(runs.Values, count => Assert.Equal(1, count));
    }

    [PostgresFact]
    public async Task AWatcherOnTheOtherInstanceHearsTheEndOfAJobThatRanBetweenTwoOfItsSweeps()
    {
        // Seen in the full suite: a job run by instance a from start to end between two sweeps of instance b was never
        // seen active by b, so a watcher on b that had read it as running was never told that it ended.
        using var database = PostgresTestServer.CreateDatabase();
        var handlerA = new ScriptedJobHandler(JobKind.Training, resumable: false);
        var handlerB = new ScriptedJobHandler(JobKind.Training, resumable: false);
        await using var a = Instance(database, "a", [handlerA]);
        await using var b = Instance(database, "b", [handlerB], pollInterval: "00:10:00"); // b sweeps when this test says
        a.StartKestrel();
        b.StartKestrel();

        var started = await StartAsync(a.Services.GetRequiredService<JobService>(), JobKind.Training, "admin");
        var id = started.JobId!.Value;
        await handlerA.NextRunAsync();
        var watcherOnB = b.Services.WaitForJobAsync(id, j => j.IsFinished, TimeSpan.FromSeconds(10));

        handlerA.Release.TrySetResult();
        await a.Services.WaitForJobAsync(id, j => j.IsFinished);
        await b.Services.GetRequiredService<JobService>().SweepAsync(CancellationToken.None);

        var seenOnB = await watcherOnB;
        Assert.Equal(JobStatus.Succeeded, seenOnB.Status);
        Assert.Empty(handlerB.Runs);
    }

    [PostgresFact]
    public async Task ACancelSentToTheOtherInstanceReachesTheJobWithinSeconds()
    {
        using var database = PostgresTestServer.CreateDatabase();
        var handlerA = new ScriptedJobHandler(JobKind.Training, resumable: false);
        var handlerB = new ScriptedJobHandler(JobKind.Training, resumable: false);
        await using var a = Instance(database, "a", [handlerA]);
        await using var b = Instance(database, "b", [handlerB]);
        a.StartKestrel();
        b.StartKestrel();

        var id = (await a.Services.GetRequiredService<JobService>().StartAsync(new TrainingParameters(), "admin-1")).JobId!.Value;
        await a.Services.WaitForJobAsync(id, j => j is { Status: JobStatus.Running, Done: 3 });
        var owner = await OwnerAsync(database, id);
        var other = owner == "a" ? b : a;

        // The page of the other instance sees the progress of a job running elsewhere.
        Assert.Equal(3, (await other.Services.GetRequiredService<JobService>().GetAsync(id))!.Done);
        var cancel = await other.Services.GetRequiredService<JobService>().CancelAsync(id, "admin-2");
        Assert.True(cancel.Ok, cancel.Message);
        Assert.Contains(owner!, cancel.Message);

        var cancelled = await other.Services.WaitForJobAsync(id, j => j.IsFinished, TimeSpan.FromSeconds(5));
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal("cancelled by admin-2", cancelled.Message);
        Assert.Single(handlerA.Runs.Concat(handlerB.Runs));
    }

    [PostgresFact]
    public async Task APauseAndAResumeSentToTheOtherInstanceReachTheJob()
    {
        using var database = PostgresTestServer.CreateDatabase();
        var handlerA = new ScriptedJobHandler(JobKind.Enrichment, resumable: true);
        var handlerB = new ScriptedJobHandler(JobKind.Enrichment, resumable: true);
        await using var a = Instance(database, "a", [handlerA]);
        await using var b = Instance(database, "b", [handlerB]);
        a.StartKestrel();
        b.StartKestrel();

        var id = (await a.Services.GetRequiredService<JobService>().StartAsync(new EnrichmentParameters(), "admin-1")).JobId!.Value;
        await a.Services.WaitForJobAsync(id, j => j is { Status: JobStatus.Running, Done: 3 });
        var other = await OwnerAsync(database, id) == "a" ? b : a;
        var jobs = other.Services.GetRequiredService<JobService>();

        var pause = await jobs.PauseAsync(id, "admin-2");
        Assert.True(pause.Ok, pause.Message);
        var paused = await other.Services.WaitForJobAsync(id, j => j.Status == JobStatus.Paused, TimeSpan.FromSeconds(5));
        Assert.Equal("paused by admin-2", paused.Message);

        Assert.True((await jobs.ResumeAsync(id, "admin-2")).Ok);
        await other.Services.WaitForJobAsync(id, j => j is { Status: JobStatus.Running, Runs: 2 }, TimeSpan.FromSeconds(10));
        handlerA.Release.TrySetResult();
        handlerB.Release.TrySetResult();
        var done = await other.Services.WaitForJobAsync(id, j => j.IsFinished, TimeSpan.FromSeconds(10));
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(2, handlerA.Runs.Count + handlerB.Runs.Count);
    }

    [PostgresFact]
    public async Task WhenTheInstanceRunningAnEnrichmentGoesAwayTheOtherFinishesItFetchingEachTrackOnce()
    {
        const int Tracks = 60;
        const int BatchSize = 5;
        using var database = PostgresTestServer.CreateDatabase();
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        var fakeTracks = spotify.Data.GenerateCatalog(Tracks, artistCount: 12);
        var a = Instance(database, "a", []).WithFakeSpotify(spotify);
        var b = Instance(database, "b", []).WithFakeSpotify(spotify);
        try
        {
            a.StartKestrel();
            b.StartKestrel();
            await using (var db = Open(database))
            {
                db.CatalogTracks.AddRange(fakeTracks.Select(t => new CatalogTrack
                {
                    Id = t.Id!, Name = "catalog name", Artists = "someone", Tempo = 120, Energy = 0.5, Danceability = 0.5, Valence = 0.5, Loudness = -8,
                }));
                await db.SaveChangesAsync();
            }

            var id = (await a.Services.GetRequiredService<JobService>().StartAsync(new EnrichmentParameters(BatchSize: BatchSize, Delay: 0.25), "admin-1")).JobId!.Value;
            await a.Services.WaitForJobAsync(id, j => j is { Status: JobStatus.Running, Done: >= 3 * BatchSize }, TimeSpan.FromSeconds(60));
            var owner = await OwnerAsync(database, id);
            var (gone, survivor) = owner == "a" ? (a, b) : (b, a);

            // The owner goes away mid-job; its claim stays in the row until the lease runs out, then the other takes over.
            await gone.DisposeAsync();
            var done = await survivor.Services.WaitForJobAsync(id, j => j.IsFinished, TimeSpan.FromSeconds(90));

            Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error}");
            Assert.Equal(2, done.Runs);
            Assert.Equal(Tracks, done.Done);
            await using (var db = Open(database))
            {
                Assert.Equal(Tracks, await db.CatalogTracks.CountAsync(t => t.EnrichedAt != null && t.EnrichedByJobId == id));
            }

            var requested = TrackIdsRequested(spotify);
            Assert.Equal(Tracks, requested.Distinct().Count());
            Assert.Equal(Tracks, requested.Count);
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    private static RecsWebFactory Instance(PostgresTestDatabase database, string name, IEnumerable<ScriptedJobHandler> handlers, string pollInterval = "00:00:00.200")
    {
        var factory = new RecsWebFactory()
            .With("Recs:Database:Provider", "postgres")
            .With("ConnectionStrings:Recs", database.ConnectionString)
            .With("Jobs:InstanceId", name)
            .With("Jobs:LeaseDuration", "00:00:02")
            .With("Jobs:HeartbeatInterval", "00:00:00.200")
            .With("Jobs:PollInterval", pollInterval);
        foreach (var handler in handlers)
        {
            factory.WithServices(handler.Register());
        }

        return factory;
    }

    private static Task<JobCommandResult> StartAsync(JobService jobs, JobKind kind, string by) => kind switch
    {
        JobKind.ImportCatalog => jobs.StartAsync(new ImportCatalogParameters("/nonexistent/a.csv", "a.csv"), by),
        JobKind.ImportArtistGenres => jobs.StartAsync(new ImportArtistGenresParameters("/nonexistent/g.csv", "g.csv"), by),
        JobKind.Enrichment => jobs.StartAsync(new EnrichmentParameters(), by),
        JobKind.Training => jobs.StartAsync(new TrainingParameters(), by),
        JobKind.FetchFeatures => jobs.StartAsync(new FeatureFetchParameters(), by),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a new kind: add its parameters here"),
    };

    private static async Task<string?> OwnerAsync(PostgresTestDatabase database, Guid id)
    {
        await using var db = Open(database);
        return await db.Jobs.AsNoTracking().Where(j => j.Id == id).Select(j => j.Owner).SingleAsync();
    }

    private static PostgresRecsDbContext Open(PostgresTestDatabase database) =>
        new(new DbContextOptionsBuilder<RecsDbContext>().UseNpgsql(database.ConnectionString).Options);

    private static List<string> TrackIdsRequested(FakeSpotifyServer spotify) => spotify.ApiRequests
        .Where(r => r.Method == "GET" && r.Path.StartsWith("/v1/tracks", StringComparison.Ordinal) && r.Status == 200)
        .SelectMany(r => r.Path.Length > "/v1/tracks/".Length
            ? [r.Path["/v1/tracks/".Length..]]
            : (HttpUtility.ParseQueryString(r.Query).Get("ids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        .ToList();
}
