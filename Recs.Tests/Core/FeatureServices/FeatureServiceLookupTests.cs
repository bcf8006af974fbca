using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.FeatureServices;
using Recs.Tests.TestSupport.FakeFeatureService;

namespace Recs.Tests.Core.FeatureServices;

/// <summary>The lookup against a real HTTP features service on loopback, in both documented shapes.</summary>
public class FeatureServiceLookupTests
{
    [Fact]
    public async Task ReccoBeats_batches_to_40_maps_rows_by_href_stores_them_and_never_asks_twice()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var known = fake.AddGenerated(100);
        var unknown = Enumerable.Range(1000, 30).Select(i => FakeTrackFeatures.Id(1, i)).ToList();
        var ids = known.Select(t => t.SpotifyId).Concat(unknown).ToList();
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats);

        var first = await host.Lookup.LookupAsync(ids, CancellationToken.None);

        Assert.Equal((0, 100, 30, 4), (first.FromCache, first.FromService, first.Misses, first.Requests));
        Assert.Equal(4, fake.Requests.Count);
        Assert.All(fake.Requests, r => Assert.True(r.Ids.Count <= 40, $"a request carried {r.Ids.Count} ids"));
        Assert.Equal(ids.Order(StringComparer.Ordinal), fake.Requests.SelectMany(r => r.Ids).Order(StringComparer.Ordinal));
        Assert.All(known, t => Assert.Equal(t.Features, first.Found[t.SpotifyId]));

        await using (var db = host.Db())
        {
            var stored = await db.CatalogTracks.Where(t => t.Source == CatalogSources.Service).ToListAsync();
            Assert.Equal(100, stored.Count);
            var one = stored.Single(t => t.Id == known[0].SpotifyId);
            Assert.Equal((known[0].Key, known[0].Mode, 0), (one.Key, one.Mode, one.TimeSignature)); // ReccoBeats gives no time signature
            Assert.Equal(30, await db.FeatureServiceMisses.CountAsync());
        }

        var second = await host.Lookup.LookupAsync(ids, CancellationToken.None);
        Assert.Equal((100, 0, 30, 0), (second.FromCache, second.FromService, second.Misses, second.Requests));
        Assert.Equal(4, fake.Requests.Count);
        Assert.Equal(4, host.Counter.Total);
    }

    [Fact]
    public async Task Spotify_compatible_sends_the_key_honours_the_batch_size_and_reads_null_entries()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.RequiredApiKey = "sk-test";
        var known = fake.AddGenerated(50, seed: 2);
        var ids = known.Select(t => t.SpotifyId).Append("0000000000000000000000").ToList();
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.SpotifyCompatible,
            new() { ["FeatureService:ApiKey"] = "sk-test", ["FeatureService:BatchSize"] = "20" });

        var result = await host.Lookup.LookupAsync(ids, CancellationToken.None);

        Assert.Equal((50, 1, 3), (result.FromService, result.Misses, result.Requests));
        Assert.All(fake.Requests, r => Assert.Equal(("spotify-compatible", 200, "Bearer sk-test"), (r.Shape, r.Status, r.Authorization)));
        Assert.Equal([11, 20, 20], fake.Requests.Select(r => r.Ids.Count).Order()); // concurrent: any arrival order
        Assert.All(known, t => Assert.Equal(t.Features, result.Found[t.SpotifyId]));
        await using var db = host.Db();
        var one = await db.CatalogTracks.SingleAsync(t => t.Id == known[3].SpotifyId);
        Assert.Equal((4, 200_000, CatalogSources.Service), (one.TimeSignature, one.DurationMs, one.Source));
    }

    [Fact]
    public async Task A_wrong_key_is_a_failure_not_a_miss()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.RequiredApiKey = "right";
        var known = fake.AddGenerated(3, seed: 3);
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.SpotifyCompatible, new() { ["FeatureService:ApiKey"] = "wrong" });

        var result = await host.Lookup.LookupAsync(known.Select(t => t.SpotifyId).ToList(), CancellationToken.None);

        Assert.Equal((0, 3, 1), (result.FromService, result.Misses, result.Requests));
        await using var db = host.Db();
        Assert.Equal(0, await db.FeatureServiceMisses.CountAsync()); // asked again next time, once the key is right
    }

    [Fact]
    public async Task A_long_429_stops_asking_until_Retry_After_and_leaves_unasked_ids_unknown_not_missed()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var known = fake.AddGenerated(120, seed: 4);
        var ids = known.Select(t => t.SpotifyId).ToList();
        fake.Enqueue(new FakeFeatureFault(429, TimeSpan.FromMinutes(10)));
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats, new() { ["FeatureService:MaxConcurrency"] = "1" });
        var before = DateTimeOffset.UtcNow;

        var result = await host.Lookup.LookupAsync(ids, CancellationToken.None);

        Assert.NotNull(result.ThrottledUntil);
        Assert.InRange(result.ThrottledUntil!.Value, before + TimeSpan.FromMinutes(9), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(11));
        Assert.Equal((0, 120, 1), (result.FromService, result.Misses, result.Requests)); // no sleep, no retry of a long 429
        await using (var db = host.Db())
        {
            Assert.Equal(0, await db.FeatureServiceMisses.CountAsync());
        }

        var during = await host.Lookup.LookupAsync(ids, CancellationToken.None);
        Assert.Equal((0, (DateTimeOffset?)result.ThrottledUntil), (during.Requests, during.ThrottledUntil));
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Short_429s_and_5xx_are_retried_inside_the_request_and_every_attempt_is_counted()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var known = fake.AddGenerated(40, seed: 5);
        fake.Enqueue(new FakeFeatureFault(503), new FakeFeatureFault(500), new FakeFeatureFault(429, TimeSpan.FromSeconds(1)));
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats);

        var result = await host.Lookup.LookupAsync(known.Select(t => t.SpotifyId).ToList(), CancellationToken.None);

        Assert.Equal((40, 0, 4, (DateTimeOffset?)null), (result.FromService, result.Misses, result.Requests, result.ThrottledUntil));
        Assert.Equal([503, 500, 429, 200], fake.Requests.Select(r => r.Status));
        Assert.Equal((1, 1, 1, 1), (host.Counter.Count(503), host.Counter.Count(500), host.Counter.Count(429), host.Counter.Count(200)));
    }

    [Fact]
    public async Task A_service_that_keeps_failing_leaves_ids_unknown_and_stops_asking_the_rest()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var known = fake.AddGenerated(200, seed: 6);
        fake.Enqueue(Enumerable.Repeat(new FakeFeatureFault(502), 4).ToArray());
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats, new() { ["FeatureService:MaxConcurrency"] = "1" });

        var result = await host.Lookup.LookupAsync(known.Select(t => t.SpotifyId).ToList(), CancellationToken.None);

        Assert.Equal((0, 200, 4), (result.FromService, result.Misses, result.Requests)); // 1 try + 3 retries, then no more batches
        await using var db = host.Db();
        Assert.Equal(0, await db.FeatureServiceMisses.CountAsync());
    }

    [Fact]
    public async Task Misses_are_remembered_and_asked_again_after_MissRetryAfter()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var late = FakeTrackFeatures.Generated(7, 0);
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats,
            new() { ["FeatureService:MissRetryAfter"] = "7.00:00:00" }, time);

        var first = await host.Lookup.LookupAsync([late.SpotifyId], CancellationToken.None);
        Assert.Equal((1, 1), (first.Misses, first.Requests));

        fake.Add(late); // the service learns the track later
        time.Advance(TimeSpan.FromDays(6));
        var remembered = await host.Lookup.LookupAsync([late.SpotifyId], CancellationToken.None);
        Assert.Equal((1, 0), (remembered.Misses, remembered.Requests));

        time.Advance(TimeSpan.FromDays(2));
        var retried = await host.Lookup.LookupAsync([late.SpotifyId], CancellationToken.None);
        Assert.Equal((0, 1, 1), (retried.Misses, retried.FromService, retried.Requests));
        Assert.Equal(late.Features, retried.Found[late.SpotifyId]);
        await using var db = host.Db();
        Assert.Equal(0, await db.FeatureServiceMisses.CountAsync());
    }

    [Fact]
    public async Task Requests_in_flight_are_bounded_by_MaxConcurrency()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.Latency = TimeSpan.FromMilliseconds(80);
        var known = fake.AddGenerated(400, seed: 8);
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats, new() { ["FeatureService:MaxConcurrency"] = "3" });

        var result = await host.Lookup.LookupAsync(known.Select(t => t.SpotifyId).ToList(), CancellationToken.None);

        Assert.Equal((400, 10), (result.FromService, result.Requests));
        Assert.InRange(fake.MaxInFlight, 2, 3);
    }

    [Fact]
    public async Task The_catalog_answers_first_and_a_kaggle_track_is_never_asked_about_or_overwritten()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var t = FakeTrackFeatures.Generated(9, 0);
        fake.Add(t);
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats);
        await using (var db = host.Db())
        {
            db.CatalogTracks.Add(new CatalogTrack { Id = t.SpotifyId, Name = "Kaggle", Tempo = 99, Energy = 0.1, Danceability = 0.2, Valence = 0.3, Loudness = -9, Source = CatalogSources.Kaggle });
            await db.SaveChangesAsync();
        }

        var result = await host.Lookup.LookupTracksAsync([new TrackMetadata { Id = t.SpotifyId, Name = "x" }], CancellationToken.None);
        var upload = await host.Contributions.ContributeUploadAsync(
            [new TrackMetadata { Id = t.SpotifyId, Name = "x", KnownFeatures = new AudioFeatures(150, 0.9, 0.9, 0.9, -3) }], CancellationToken.None);

        Assert.Equal((1, 0, 0), (result.FromCache, result.FromService, result.Requests));
        Assert.Equal(new AudioFeatures(99, 0.1, 0.2, 0.3, -9), result.Found[t.SpotifyId]);
        Assert.Equal((0, 1), (upload.Added, upload.AlreadyKnown));
        Assert.Empty(fake.Requests);
        await using var check = host.Db();
        Assert.Equal((99.0, CatalogSources.Kaggle, "Kaggle"), await check.CatalogTracks.Where(c => c.Id == t.SpotifyId).Select(c => ValueTuple.Create(c.Tempo, c.Source, c.Name)).SingleAsync());
    }

    [Fact]
    public async Task LookupTracks_stores_the_callers_metadata_with_the_service_features_and_nothing_about_the_listener()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        var t = FakeTrackFeatures.Generated(10, 0);
        fake.Add(t);
        await using var host = await FeatureServiceTestHost.StartAsync(fake, FeatureServiceProviders.ReccoBeats);

        await host.Lookup.LookupTracksAsync(
            [new TrackMetadata { Id = t.SpotifyId, Name = "Song (Live)", Artists = ["Band", "Guest"], Album = "Album", ReleaseYear = 2001, Genres = ["rock", "indie"] },
             new TrackMetadata { Name = "Local file", IsLocal = true }], CancellationToken.None);

        Assert.Equal([t.SpotifyId], fake.Requests.Single().Ids);
        await using var db = host.Db();
        var row = await db.CatalogTracks.SingleAsync();
        Assert.Equal(("Song (Live)", "Band;Guest", "Album", 2001, "rock,indie", CatalogSources.Service, "band"),
            (row.Name, row.Artists, row.AlbumName, row.ReleaseYear!.Value, row.ArtistGenres, row.Source, row.PrimaryArtistKey));
    }
}
