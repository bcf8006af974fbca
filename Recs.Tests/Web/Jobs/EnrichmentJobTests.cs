using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Catalog;
using Recs.Core.Jobs;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeSpotify;
using Recs.Web.Jobs;

namespace Recs.Tests.Web.Jobs;

/// <summary>The enrichment job in the real app against the fake Spotify: its limit after a kill, and bursts of transient errors.</summary>
public sealed class EnrichmentJobTests
{
    [Fact]
    public async Task AfterAKillTheLimitCountsTheTracksTheJobStoredNotTheProgressItLastWrote()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        var fakeTracks = spotify.Data.GenerateCatalog(40, artistCount: 8);
        using var dataDir = new TempDirectory();
        Guid jobId;

        // What a kill leaves: the job Running, 12 tracks stored by it, but only 5 in the last progress write.
        await using (var db = Open(dataDir.Path))
        {
            await db.Database.MigrateAsync();
            db.CatalogTracks.AddRange(fakeTracks.Select(t => new CatalogTrack
            {
                Id = t.Id!, Name = "catalog name", Artists = "someone", Tempo = 120, Energy = 0.5, Danceability = 0.5, Valence = 0.5, Loudness = -8,
            }));
            var now = DateTimeOffset.UtcNow;
            var job = Job.Create(new EnrichmentParameters(BatchSize: 5, Delay: 0, Limit: 20), "admin-1", now);
            job.Start(now);
            job.ReportProgress(5, 20, "5 enriched", "extended", null, now);
            db.Jobs.Add(job);
            jobId = job.Id;
            await db.SaveChangesAsync();
            var storedBeforeKill = await db.CatalogTracks.OrderBy(t => t.Id).Take(12).ToListAsync();
            foreach (var track in storedBeforeKill)
            {
                track.EnrichedAt = now;
                track.EnrichedByJobId = jobId;
            }

            await db.SaveChangesAsync();
        }

        await using var app = new RecsWebFactory(dataDir.Path).WithFakeSpotify(spotify);
        var finished = await app.Services.WaitForJobAsync(jobId, j => j.IsFinished, TimeSpan.FromSeconds(60));

        Assert.True(finished.Status == JobStatus.Succeeded, $"{finished.Status}: {finished.Error}");
        await using (var db = Open(dataDir.Path))
        {
            Assert.Equal(20, await db.CatalogTracks.CountAsync(t => t.EnrichedByJobId == jobId));
            Assert.Equal(20, await db.CatalogTracks.CountAsync(t => t.EnrichedAt != null));
        }

        Assert.Equal(8, TrackIdsRequested(spotify));
        Assert.Equal(20, finished.Done);
    }

    [Fact]
    public async Task TwoRateLimitsAndTwoServerErrorsOnOneRequestDoNotFailTheJob()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        var fakeTracks = spotify.Data.GenerateCatalog(30, artistCount: 6);
        await using var app = new RecsWebFactory().WithFakeSpotify(spotify)
            .With("Spotify:RetryBaseDelay", "00:00:00.050")
            .With("Spotify:TransientFailureBackoff", "00:00:00.200");
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync())
        {
            db.CatalogTracks.AddRange(fakeTracks.Select(t => new CatalogTrack
            {
                Id = t.Id!, Name = "catalog name", Artists = "someone", Tempo = 120, Energy = 0.5, Danceability = 0.5, Valence = 0.5, Loudness = -8,
            }));
            await db.SaveChangesAsync();
        }

        // The second request for tracks: 429 Retry-After 2 s twice, then 503 twice — more than the HTTP retries (3) absorb.
        spotify.Faults
            .FailNth("/v1/tracks", 2, FakeFault.RateLimited(retryAfterSeconds: 2), times: 2)
            .FailNth("/v1/tracks", 4, FakeFault.ServerError(503), times: 2);
        var jobs = app.Services.GetRequiredService<JobService>();
        var started = await jobs.StartAsync(new EnrichmentParameters(BatchSize: 10, Delay: 0), "admin-1");
        var finished = await app.Services.WaitForJobAsync(started.JobId!.Value, j => j.IsFinished, TimeSpan.FromSeconds(60));

        Assert.True(finished.Status == JobStatus.Succeeded, $"{finished.Status}: {finished.Error}");
        Assert.Equal(4, spotify.Faults.Fired);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(30, await db.CatalogTracks.CountAsync(t => t.EnrichedAt != null && t.ReleaseDate != null));
        }
    }

    [Fact]
    public async Task ErrorsThatKeepComingPauseTheJobWithTheReasonAndAnErrorRetryingCannotFixFailsIt()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        var fakeTracks = spotify.Data.GenerateCatalog(10, artistCount: 3);
        await using var app = new RecsWebFactory().WithFakeSpotify(spotify)
            .With("Spotify:RetryBaseDelay", "00:00:00.010")
            .With("Spotify:MaxRetryAttempts", "1")
            .With("Spotify:TransientFailureBackoff", "00:00:00.050")
            .With("Spotify:TransientFailureRetries", "2")
            .With("Spotify:TransientFailurePause", "01:00:00");
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync())
        {
            db.CatalogTracks.AddRange(fakeTracks.Select(t => new CatalogTrack
            {
                Id = t.Id!, Name = "catalog name", Artists = "someone", Tempo = 120, Energy = 0.5, Danceability = 0.5, Valence = 0.5, Loudness = -8,
            }));
            await db.SaveChangesAsync();
        }

        var jobs = app.Services.GetRequiredService<JobService>();
        spotify.Faults.FailFrom("/v1/tracks", 1, FakeFault.ServerError(503));
        var paused = await jobs.StartAsync(new EnrichmentParameters(BatchSize: 10, Delay: 0), "admin-1");
        var pausedJob = await app.Services.WaitForJobAsync(paused.JobId!.Value, j => j.Status == JobStatus.Paused || j.IsFinished, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Paused, pausedJob.Status);
        Assert.NotNull(pausedJob.PausedUntil);
        Assert.Contains("Spotify kept failing", pausedJob.Message);
        Assert.Contains("503", pausedJob.Message);
        Assert.True((await jobs.CancelAsync(paused.JobId.Value, "admin-1")).Ok);

        spotify.Faults.Clear();
        spotify.Faults.FailFrom("/v1/tracks", 1, FakeFault.ServerError(400));
        var failed = await jobs.StartAsync(new EnrichmentParameters(BatchSize: 10, Delay: 0), "admin-1");
        var failedJob = await app.Services.WaitForJobAsync(failed.JobId!.Value, j => j.IsFinished, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Failed, failedJob.Status);
        Assert.Contains("400", failedJob.Error);
    }

    private static RecsDbContext Open(string dataDir) => new(new DbContextOptionsBuilder<RecsDbContext>()
        .UseSqlite($"Data Source={Path.Combine(dataDir, "recs.db")}").Options);

    /// <summary>Track ids asked of the fake with success.</summary>
    private static int TrackIdsRequested(FakeSpotifyServer spotify) => spotify.ApiRequests
        .Where(r => r.Method == "GET" && r.Path.StartsWith("/v1/tracks", StringComparison.Ordinal) && r.Status == 200)
        .Sum(r => r.Path.Length > "/v1/tracks/".Length ? 1 : System.Web.HttpUtility.ParseQueryString(r.Query).Get("ids")!.Split(',').Length);
}
