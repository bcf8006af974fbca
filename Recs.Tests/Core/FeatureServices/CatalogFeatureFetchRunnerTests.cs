using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recs.Core.Catalog;
using Recs.Core.FeatureServices;
using Recs.Core.Libraries;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeFeatureService;

namespace Recs.Tests.Core.FeatureServices;

/// <summary>"Fetch features for the catalog" against a fake service on loopback: what it asks about, pause, kill and resume.</summary>
public class CatalogFeatureFetchRunnerTests
{
    [Fact]
    public async Task It_asks_about_library_tracks_without_features_only_and_stores_them_with_their_names()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var known = fake.AddGenerated(60, seed: 21);
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats);
        var unknownId = FakeTrackFeatures.Id(21, 999);
        await SeedLibraryAsync(host, known.Select(t => t.SpotifyId).Append(unknownId).ToList(), withFileFeatures: known[0].SpotifyId, inCatalog: known[1].SpotifyId);

        var runner = host.Services.GetRequiredService<CatalogFeatureFetchRunner>();
        var pending = await runner.PendingAsync(CancellationToken.None);
        var outcome = await runner.RunAsync(new CatalogFeatureFetchRequest(), null, CancellationToken.None);

        Assert.Equal(59, pending.Count); // 61 library tracks - the one with file features - the one in the catalog
        Assert.Equal((58, 1, 0, 2, (DateTimeOffset?)null), (outcome.Found, outcome.Missed, outcome.Remaining, outcome.Requests, outcome.PausedUntil));
        Assert.DoesNotContain(fake.Requests.SelectMany(r => r.Ids), id => id == known[0].SpotifyId || id == known[1].SpotifyId);
        await using var db = host.Db();
        var row = await db.CatalogTracks.SingleAsync(t => t.Id == known[5].SpotifyId);
        Assert.Equal(("Song 5", "Artist 5", CatalogSources.Service), (row.Name, row.Artists, row.Source));

        var again = await runner.RunAsync(new CatalogFeatureFetchRequest(), null, CancellationToken.None);
        Assert.Equal((0, 0, 0), (again.Found, again.Missed, again.Requests)); // the miss is remembered
    }

    [Fact]
    public async Task A_throttle_pauses_the_run_until_Retry_After_and_the_next_run_continues()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var known = fake.AddGenerated(100, seed: 22);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats, new() { ["FeatureService:MaxConcurrency"] = "1" }, time);
        await SeedLibraryAsync(host, known.Select(t => t.SpotifyId).ToList());
        var runner = host.Services.GetRequiredService<CatalogFeatureFetchRunner>();

        fake.Enqueue(new FakeFeatureFault(429, TimeSpan.FromHours(2)));
        var paused = await runner.RunAsync(new CatalogFeatureFetchRequest(), null, CancellationToken.None);

        Assert.Equal(time.GetUtcNow() + TimeSpan.FromHours(2), paused.PausedUntil);
        Assert.Equal((0, 100), (paused.Found, paused.Remaining));
        var early = await runner.RunAsync(new CatalogFeatureFetchRequest(), null, CancellationToken.None);
        Assert.Equal((0, (DateTimeOffset?)paused.PausedUntil), (early.Requests, early.PausedUntil)); // nothing asked before the time
        time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        var resumed = await runner.RunAsync(new CatalogFeatureFetchRequest(), null, CancellationToken.None);
        Assert.Equal((100, 0, (DateTimeOffset?)null), (resumed.Found, resumed.Remaining, resumed.PausedUntil));
    }

    [Fact]
    public async Task A_kill_during_the_run_resumes_in_a_new_process_without_asking_about_any_track_twice()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.Latency = TimeSpan.FromMilliseconds(60);
        var known = fake.AddGenerated(1_200, seed: 23);
        using var dataDir = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["FeatureService:MaxConcurrency"] = "2" };

        await using (var first = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats, settings, dataDirectory: dataDir.Path))
        {
            await SeedLibraryAsync(first, known.Select(t => t.SpotifyId).ToList());
            using var kill = new CancellationTokenSource();
            var progress = new InlineProgress<CatalogFeatureFetchProgress>(p =>
            {
                if (p.Done >= 120)
                {
                    kill.Cancel();
                }
            });
            var runner = first.Services.GetRequiredService<CatalogFeatureFetchRunner>();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(new CatalogFeatureFetchRequest(), progress, kill.Token));
        }

        var answeredBeforeKill = fake.Requests.Count(r => r.Status == 200);
        Assert.InRange(answeredBeforeKill, 3, 29); // killed mid-run: some of the 30 batches answered, not all
        HashSet<string> storedBeforeKill;
        await using (var db = new FeatureServiceDbAt(dataDir.Path))
        {
            storedBeforeKill = (await db.Context.CatalogTracks.Select(t => t.Id).ToListAsync()).ToHashSet();
        }

        Assert.InRange(storedBeforeKill.Count, 120, 1_199);
        var requestsBeforeRestart = fake.Requests.Count;

        await using (var second = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats, settings, dataDirectory: dataDir.Path))
        {
            var runner = second.Services.GetRequiredService<CatalogFeatureFetchRunner>();
            var outcome = await runner.RunAsync(new CatalogFeatureFetchRequest(), null, CancellationToken.None);
            Assert.Equal(0, outcome.Remaining);
            await using var db = second.Db();
            Assert.Equal(1_200, await db.CatalogTracks.CountAsync(t => t.Source == CatalogSources.Service));
        }

        // Nothing whose answer was stored before the kill is asked again; only the batches in flight at the kill
        // (at most MaxConcurrency = 2, their answers never reached the app) may be.
        var askedAfter = fake.Requests.Skip(requestsBeforeRestart).SelectMany(r => r.Ids).ToList();
        Assert.DoesNotContain(askedAfter, storedBeforeKill.Contains);
        Assert.Equal(1_200 - storedBeforeKill.Count, askedAfter.Count);
        Assert.InRange(fake.Requests.Sum(r => r.Ids.Count), 1_200, 1_200 + (2 * 40));
    }

    [Fact]
    public async Task With_provider_none_the_run_says_what_to_configure()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.None);
        var runner = host.Services.GetRequiredService<CatalogFeatureFetchRunner>();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(new CatalogFeatureFetchRequest(), null, CancellationToken.None));
        Assert.Contains("FeatureService:Provider", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>One stored library holding these ids, named "Song i"/"Artist i"; optionally one row with file features and one catalog track.</summary>
    private static async Task SeedLibraryAsync(FeatureServiceTestHost host, IReadOnlyList<string> ids, string? withFileFeatures = null, string? inCatalog = null)
    {
        await using var db = host.Db();
        var library = new UserLibrary { UserId = "listener", Source = LibrarySource.Spotify, FetchedAt = DateTimeOffset.UtcNow, TrackCount = ids.Count };
        library.Tracks.AddRange(ids.Select((id, i) => new UserLibraryTrack
        {
            Position = i,
            SpotifyId = id,
            Name = $"Song {i}",
            Artists = $"Artist {i}",
            Tempo = id == withFileFeatures ? 120 : null,
            Energy = id == withFileFeatures ? 0.5 : null,
            Danceability = id == withFileFeatures ? 0.5 : null,
            Valence = id == withFileFeatures ? 0.5 : null,
            Loudness = id == withFileFeatures ? -5 : null,
        }));
        db.UserLibraries.Add(library);
        if (inCatalog is not null)
        {
            db.CatalogTracks.Add(new CatalogTrack { Id = inCatalog, Tempo = 100, Energy = 0.5, Danceability = 0.5, Valence = 0.5, Loudness = -7 });
        }

        await db.SaveChangesAsync();
    }
}

/// <summary>Reports on the caller's thread (no SynchronizationContext hop), so a test can act at an exact point.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>A context on the SQLite file of a data directory (to look at what a stopped host left behind).</summary>
internal sealed class FeatureServiceDbAt(string dataDirectory) : IAsyncDisposable
{
    public Recs.Core.Persistence.RecsDbContext Context { get; } = new(new DbContextOptionsBuilder<Recs.Core.Persistence.RecsDbContext>()
        .UseSqlite($"Data Source={Path.Combine(dataDirectory, "recs.db")}").Options);

    public ValueTask DisposeAsync() => Context.DisposeAsync();
}
