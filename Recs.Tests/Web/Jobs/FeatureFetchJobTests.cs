using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recs.Core.Catalog;
using Recs.Core.Jobs;
using Recs.Core.Libraries;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeFeatureService;
using Recs.Web.Jobs;

namespace Recs.Tests.Web.Jobs;

/// <summary>The admin job "fetch features for the catalog" in the real app, against a fake features service on loopback.</summary>
public sealed class FeatureFetchJobTests
{
    [Fact]
    public async Task The_job_pauses_itself_until_Retry_After_and_finishes_when_resumed_with_live_progress()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var known = fake.AddGenerated(90, seed: 31);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new RecsWebFactory()
            .With("FeatureService:Provider", "reccobeats")
            .With("FeatureService:BaseUrl", fake.ReccoBeatsBaseUrl)
            .With("FeatureService:MaxConcurrency", "1")
            .WithServices(s => s.AddSingleton<TimeProvider>(time));
        var jobs = factory.Services.GetRequiredService<JobService>();
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync())
        {
            var library = new UserLibrary { UserId = "listener", Source = LibrarySource.Spotify, FetchedAt = DateTimeOffset.UtcNow, TrackCount = known.Count };
            library.Tracks.AddRange(known.Select((t, i) => new UserLibraryTrack { Position = i, SpotifyId = t.SpotifyId, Name = $"Song {i}", Artists = "Band" }));
            db.UserLibraries.Add(library);
            await db.SaveChangesAsync();
        }

        // The second request is throttled for an hour: the job must pause (not sleep), keeping the first batch.
        fake.FaultsAtRequest[2] = new FakeFeatureFault(429, TimeSpan.FromHours(1));
        var started = await jobs.StartAsync(new FeatureFetchParameters(), "admin-1");
        Assert.True(started.Ok, started.Message);
        var id = started.JobId!.Value;

        var paused = await factory.Services.WaitForJobAsync(id, j => j.Status == JobStatus.Paused);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromHours(1), paused.PausedUntil);
        Assert.Contains("features service", paused.Message, StringComparison.Ordinal);
        Assert.Equal(40, fake.Requests.Where(r => r.Status == 200).Sum(r => r.Ids.Count));

        // An hour later the job resumes by itself and finishes, asking only about the tracks not answered yet.
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var done = await factory.Services.WaitForJobAsync(id, j => j.IsFinished, TimeSpan.FromSeconds(60));
        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error} {done.Message}");
        var asked = fake.Requests.Where(r => r.Status == 200).SelectMany(r => r.Ids).ToList();
        Assert.Equal(90, asked.Count);
        Assert.Equal(90, asked.Distinct().Count());
        await using var check = await factory.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync();
        Assert.Equal(90, await check.CatalogTracks.CountAsync(t => t.Source == CatalogSources.Service));
    }
}
