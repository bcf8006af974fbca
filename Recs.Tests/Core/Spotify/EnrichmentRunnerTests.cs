using Microsoft.EntityFrameworkCore;
using Recs.Core.Catalog;
using Recs.Core.Enrichment;
using Recs.Core.Spotify;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeSpotify;

namespace Recs.Tests.Core.Spotify;

public sealed class EnrichmentRunnerTests
{
    /// <summary>A Kaggle-format catalog of the fake's tracks (plus ids Spotify does not know), imported into <paramref name="db"/>.</summary>
    internal static async Task<IReadOnlyList<FakeTrack>> SeedCatalogAsync(FakeSpotifyServer spotify, TestDatabase db, int tracks, int artists, int unknown = 2)
    {
        var fakeTracks = spotify.Data.GenerateCatalog(tracks, artists, seed: 11);
        var csv = BuildCsv(fakeTracks, unknown);
        await CatalogCsv.Importer(db).ImportAsync(csv.ToStream(), "catalog.csv");
        return fakeTracks;
    }

    internal static CatalogCsv BuildCsv(IReadOnlyList<FakeTrack> tracks, int unknown)
    {
        var csv = new CatalogCsv();
        foreach (var t in tracks)
        {
            csv.Row(t.Id!, "pop", ("artists", string.Join(';', t.Artists.Select(a => a.Name))), ("track_name", t.Name));
        }

        for (var i = 0; i < unknown; i++)
        {
            csv.Row(CatalogCsv.Id(i + 1), "rock");
        }

        return csv;
    }

    [Fact]
    public async Task ExtendedQuotaEnrichesInBatchesWithOneLookupPerArtist()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        using var db = new TestDatabase();
        var tracks = await SeedCatalogAsync(spotify, db, tracks: 120, artists: 30);
        using var services = SpotifyTestServices.Create(spotify, db);

        var outcome = await services.Get<EnrichmentRunner>().RunAsync(new EnrichmentRequest { BatchSize = 50 }, null, CancellationToken.None);

        var artistIds = tracks.SelectMany(t => t.Artists).Select(a => a.Id).Distinct().Count();
        Assert.Equal((120, 0, 2, 0, SpotifyMode.Extended), (outcome.Fetched, outcome.Skipped, outcome.Failed, outcome.Remaining, outcome.Mode));
        Assert.Equal(artistIds, outcome.ArtistsLookedUp);
        // One probe of a single id, then 121 ids in batches of 50; artists in batches as they first appear.
        Assert.Equal(1 + 3, services.Counter.Count("GET /tracks"));
        Assert.Equal(0, services.Counter.Count("GET /tracks/{id}"));
        Assert.True(services.Counter.Count("GET /artists") <= 4);
        Assert.Equal(artistIds, spotify.RequestsTo("/v1/artists").Sum(r => Uri.UnescapeDataString(r.Query).Split(',').Length));

        await using var context = db.CreateDbContext();
        var sample = tracks[5];
        var row = await context.CatalogTracks.SingleAsync(t => t.Id == sample.Id);
        Assert.NotNull(row.EnrichedAt);
        Assert.Equal(sample.ReleaseDate, row.ReleaseDate);
        Assert.Equal(int.Parse(sample.ReleaseDate![..4]), row.ReleaseYear);
        Assert.Equal(string.Join(';', sample.Artists.Select(a => a.Id)), row.ArtistIds);
        Assert.Equal(sample.Popularity, row.Popularity);
        Assert.Equal(sample.DurationMs, row.DurationMs);
        var mainArtist = spotify.Data.Artists[sample.Artists[0].Id!];
        Assert.Equal(mainArtist.Genres.Count == 0 ? null : mainArtist.Genres[0], row.ArtistGenres?.Split(',')[0]);
        Assert.Equal(artistIds, await context.Artists.CountAsync(a => a.Source == ArtistSources.Spotify || a.SpotifyId != null));
        Assert.Equal(122, await context.CatalogTracks.CountAsync(t => t.EnrichedAt != null));
    }

    [Fact]
    public async Task DevelopmentModeEnrichesOneByOneAndKeepsTheCatalogsPopularity()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);
        using var db = new TestDatabase();
        var tracks = await SeedCatalogAsync(spotify, db, tracks: 40, artists: 8, unknown: 1);
        using var services = SpotifyTestServices.Create(spotify, db);

        var outcome = await services.Get<EnrichmentRunner>().RunAsync(new EnrichmentRequest { BatchSize = 50 }, null, CancellationToken.None);

        var artistIds = tracks.SelectMany(t => t.Artists).Select(a => a.Id).Distinct().Count();
        Assert.Equal((40, 1, SpotifyMode.Development), (outcome.Fetched, outcome.Failed, outcome.Mode));
        Assert.Equal(1, services.Counter.Count("GET /tracks", 403));
        Assert.Equal(41, services.Counter.Count("GET /tracks/{id}"));
        Assert.Equal(artistIds, services.Counter.Count("GET /artists/{id}"));
        Assert.Equal(1 + 41 + artistIds, outcome.Requests);
        await using var context = db.CreateDbContext();
        Assert.All(await context.CatalogTracks.Where(t => t.Id != CatalogCsv.Id(1)).ToListAsync(), r =>
        {
            Assert.Equal(55, r.Popularity); // the file's value: Development Mode gives none
            Assert.NotNull(r.ArtistIds);
        });
    }

    [Fact]
    public async Task QuotaExceededPausesWithTheResumeTimeAndTheNextRunFinishesWithoutRepeats()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);
        using var db = new TestDatabase();
        await SeedCatalogAsync(spotify, db, tracks: 60, artists: 10, unknown: 0);
        using var services = SpotifyTestServices.Create(spotify, db);
        var runner = services.Get<EnrichmentRunner>();
        spotify.Faults.FailFrom("/v1/", 40, FakeFault.QuotaExceeded(retryAfterSeconds: 48_925));
        var before = DateTimeOffset.UtcNow;

        var paused = await runner.RunAsync(new EnrichmentRequest(), null, CancellationToken.None);

        Assert.True(paused.IsPaused);
        Assert.InRange(paused.PausedUntil!.Value, before.AddSeconds(48_925), DateTimeOffset.UtcNow.AddSeconds(48_925));
        Assert.Equal(1, spotify.ApiRequests.Count(r => r.Status == 429));
        await using (var context = db.CreateDbContext())
        {
            Assert.Equal(paused.Fetched, await context.CatalogTracks.CountAsync(t => t.EnrichedAt != null));
            Assert.Equal(60 - paused.Fetched, paused.Remaining);
        }

        spotify.Faults.Clear();
        var resumed = await runner.RunAsync(new EnrichmentRequest(), null, CancellationToken.None);

        Assert.False(resumed.IsPaused);
        Assert.Equal(paused.Fetched, resumed.Skipped);
        Assert.Equal(60, paused.Fetched + resumed.Fetched);
        // Only the track in flight when the quota hit may be asked twice; everything stored is never asked again.
        var trackFetches = spotify.RequestsTo("/v1/tracks/").Where(r => r.Status == 200).GroupBy(r => r.Path).ToList();
        Assert.Equal(60, trackFetches.Count);
        Assert.True(trackFetches.Count(g => g.Count() > 1) <= 1);
        var artistFetches = spotify.RequestsTo("/v1/artists/").Where(r => r.Status == 200).GroupBy(r => r.Path);
        Assert.All(artistFetches, g => Assert.Single(g));
    }

    [Fact]
    public async Task AppOnlyTokensAreRenewedDuringALongRun()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);
        using var db = new TestDatabase();
        await SeedCatalogAsync(spotify, db, tracks: 60, artists: 10, unknown: 0);
        spotify.AccessTokenMaxUses = 25;
        using var services = SpotifyTestServices.Create(spotify, db);

        var outcome = await services.Get<EnrichmentRunner>().RunAsync(new EnrichmentRequest(), null, CancellationToken.None);

        Assert.Equal(60, outcome.Fetched);
        var grants = spotify.TokenGrants.Where(g => g == "client_credentials").Count();
        Assert.True(grants >= 3, $"{grants} client-credentials grants");
        Assert.Equal(grants - 1, spotify.ApiRequests.Count(r => r.Status == 401));
    }

    [Fact]
    public async Task TheLimitBoundsARunAndTheEnrichedCsvHasEveryInputRowOnce()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        using var db = new TestDatabase();
        using var dir = new TempDirectory();
        var tracks = spotify.Data.GenerateCatalog(30, 6, seed: 4);
        var csv = BuildCsv(tracks, unknown: 1);
        // The Kaggle file lists a track once per genre: the same id on two rows.
        csv.Row(tracks[0].Id!, "dance", ("artists", string.Join(';', tracks[0].Artists.Select(a => a.Name))));
        var input = dir.File("in.csv");
        await File.WriteAllTextAsync(input, csv.ToString());
        await CatalogCsv.Importer(db).ImportFileAsync(input);
        using var services = SpotifyTestServices.Create(spotify, db);

        var first = await services.Get<EnrichmentRunner>().RunAsync(new EnrichmentRequest { Limit = 10 }, null, CancellationToken.None);
        var written = await EnrichedCsvWriter.WriteAsync(input, dir.File("out/enriched.csv"), db, CancellationToken.None);

        Assert.Equal(10, first.Fetched + first.Failed);
        Assert.Equal(21, first.Remaining);
        Assert.Equal(32, written.Rows);
        var lines = File.ReadAllLines(written.Path);
        Assert.Equal(CatalogCsv.KaggleHeader + ",release_date,release_year,artist_ids,artist_genres,enriched_at", lines[0]);
        Assert.Equal(33, lines.Length);
        Assert.Equal(File.ReadAllLines(input).Skip(1), lines.Skip(1).Select(l => string.Join(',', SplitCsv(l).Take(21).Select(Quote))));
    }

    private static IEnumerable<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { current.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else { current.Append(c); }
        }

        fields.Add(current.ToString());
        return fields;
    }

    private static string Quote(string v) => v.Contains(',') || v.Contains('"') ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
}
