using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Persistence;
using Recs.Tests.Core.Spotify;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeSpotify;
using Recs.Web.Cli;

namespace Recs.Tests.Web.Cli;

public sealed class EnrichVerbTests
{
    private static string[] Args(FakeSpotifyServer spotify, TempDirectory dir, string input, params string[] more) =>
    [
        "enrich", "--csv", input, "--output", dir.File("enriched.csv"), "--data-dir", dir.File("data"),
        $"--Spotify:ClientId={spotify.ClientId}", $"--Spotify:ClientSecret={spotify.ClientSecret}",
        $"--Spotify:AccountsBaseUrl={spotify.AccountsBaseUrl}", $"--Spotify:ApiBaseUrl={spotify.ApiBaseUrl}", .. more,
    ];

    private static async Task<(int Code, string Out, string Err)> RunAsync(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliRunner.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<string> WriteCatalogAsync(FakeSpotifyServer spotify, TempDirectory dir, int tracks, int artists, int unknown)
    {
        var csv = EnrichmentRunnerTests.BuildCsv(spotify.Data.GenerateCatalog(tracks, artists, seed: 21), unknown);
        var path = dir.File("catalog.csv");
        await File.WriteAllTextAsync(path, csv.ToString());
        return path;
    }

    [Fact]
    public async Task EnrichRunsEndToEndAgainstASpotifyCompatibleServerSetInConfiguration()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        using var dir = new TempDirectory();
        var input = await WriteCatalogAsync(spotify, dir, tracks: 75, artists: 12, unknown: 1);

        var (code, stdout, stderr) = await RunAsync(Args(spotify, dir, input, "--delay", "0", "--batch-size", "25", "--json"));

        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(75, json.GetProperty("fetched").GetInt32());
        Assert.Equal(1, json.GetProperty("failed").GetInt32());
        Assert.Equal(0, json.GetProperty("skipped").GetInt32());
        Assert.Equal("extended", json.GetProperty("mode").GetString());
        Assert.False(json.GetProperty("paused").GetBoolean());
        Assert.Equal(76, json.GetProperty("output_rows").GetInt32());
        // A probe of one id, then 75 ids in batches of 25.
        Assert.Equal(1 + 3, spotify.RequestsTo("/v1/tracks").Count);
        Assert.Contains("client_credentials", spotify.TokenGrants);
        Assert.Equal(77, File.ReadAllLines(dir.File("enriched.csv")).Length);

        var again = await RunAsync(Args(spotify, dir, input, "--delay", "0"));
        Assert.Equal(0, again.Code);
        Assert.Contains("skipped                    76", again.Out);
        Assert.Contains("fetched                     0", again.Out);
    }

    [Fact]
    public async Task AQuotaPauseExitsWithItsOwnCodeAndTheNextRunContinues()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);
        using var dir = new TempDirectory();
        var input = await WriteCatalogAsync(spotify, dir, tracks: 30, artists: 6, unknown: 0);
        spotify.Faults.FailFrom("/v1/", 20, FakeFault.QuotaExceeded(retryAfterSeconds: 50_000));

        var paused = await RunAsync(Args(spotify, dir, input, "--delay", "0"));

        Assert.Equal(EnrichVerb.PausedExitCode, paused.Code);
        Assert.Contains("paused until", paused.Out);
        Assert.Contains("Run the same command again", paused.Out);

        spotify.Faults.Clear();
        var resumed = await RunAsync(Args(spotify, dir, input, "--delay", "0", "--json"));

        Assert.Equal(0, resumed.Code);
        var json = JsonDocument.Parse(resumed.Out).RootElement;
        Assert.Equal(30, json.GetProperty("fetched").GetInt32() + json.GetProperty("skipped").GetInt32());
        Assert.True(json.GetProperty("skipped").GetInt32() > 0);
        Assert.Equal(0, json.GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task APersistentServerErrorFailsClearlyAndTheNextRunContinues()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);
        using var dir = new TempDirectory();
        var input = await WriteCatalogAsync(spotify, dir, tracks: 20, artists: 4, unknown: 0);
        spotify.Faults.FailFrom("/v1/tracks/", 8, FakeFault.ServerError(503));

        var failed = await RunAsync(Args(spotify, dir, input, "--delay", "0", "--Spotify:RetryBaseDelay=00:00:00.010"));

        Assert.Equal(1, failed.Code);
        Assert.Contains("503", failed.Err);
        Assert.Contains("run the same command again", failed.Err);
        // Seven tracks stored, then the eighth failed through every retry (1 + 3 attempts).
        Assert.Equal(4, spotify.RequestsTo("/v1/tracks/").Count(r => r.Status == 503));

        spotify.Faults.Clear();
        var resumed = await RunAsync(Args(spotify, dir, input, "--delay", "0", "--json"));

        Assert.Equal(0, resumed.Code);
        var json = JsonDocument.Parse(resumed.Out).RootElement;
        Assert.Equal(7, json.GetProperty("skipped").GetInt32());
        Assert.Equal(13, json.GetProperty("fetched").GetInt32());
    }

    [Fact]
    public async Task WithoutCredentialsEnrichExplainsWhichKeysToSet()
    {
        using var dir = new TempDirectory();
        var input = dir.File("c.csv");
        await File.WriteAllTextAsync(input, CatalogCsv.KaggleHeader + "\n");

        var (code, _, stderr) = await RunAsync(["enrich", "--csv", input, "--output", dir.File("o.csv"), "--data-dir", dir.File("data")]);

        Assert.Equal(2, code);
        Assert.Contains("Spotify:ClientId", stderr);
    }

    [Fact]
    public async Task AKilledEnrichProcessResumesWithEveryRowEnrichedExactlyOnce()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);
        using var dir = new TempDirectory();
        var input = await WriteCatalogAsync(spotify, dir, tracks: 60, artists: 10, unknown: 2);
        // A little latency on every call so the kill lands mid-run, not after it.
        spotify.Faults.FailFrom("/v1/", 1, FakeFault.Delay(TimeSpan.FromMilliseconds(10)));

        int seen;
        DateTimeOffset at;
        using (var child = StartChild(Args(spotify, dir, input, "--delay", "0")))
        {
            while (spotify.RequestsTo("/v1/tracks/").Count < 15 && !child.HasExited)
            {
                await Task.Delay(10);
            }

            if (child.HasExited)
            {
                Assert.Fail("the run ended before it could be killed: " + await child.StandardError.ReadToEndAsync());
            }

            seen = spotify.RequestsTo("/v1/tracks/").Count;
            at = DateTimeOffset.UtcNow;
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        int enrichedAfterKill;
        await using (var db = OpenDatabase(dir))
        {
            enrichedAfterKill = await db.CatalogTracks.CountAsync(t => t.EnrichedAt != null);
        }

        Assert.True(enrichedAfterKill is >= 1 and <= 61,
            $"{enrichedAfterKill} enriched after the kill at {at:HH:mm:ss.fff} having seen {seen}; first {spotify.ApiRequests[0].At:HH:mm:ss.fff} last {spotify.ApiRequests[^1].At:HH:mm:ss.fff}; {spotify.RequestsTo("/v1/tracks/").Count} track requests; statuses {string.Join(",", spotify.ApiRequests.GroupBy(r => r.Route + " " + r.Status).Select(g => g.Key + "=" + g.Count()))}");

        using (var child = StartChild(Args(spotify, dir, input, "--delay", "0", "--json")))
        {
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            await child.WaitForExitAsync();
            Assert.True(child.ExitCode == 0, await stderr);
            var json = JsonDocument.Parse(await stdout).RootElement;
            Assert.Equal(enrichedAfterKill, json.GetProperty("skipped").GetInt32());
            Assert.Equal(62, json.GetProperty("skipped").GetInt32() + json.GetProperty("fetched").GetInt32() + json.GetProperty("failed").GetInt32());
        }

        await using (var db = OpenDatabase(dir))
        {
            Assert.Equal(62, await db.CatalogTracks.CountAsync());
            Assert.Equal(0, await db.CatalogTracks.CountAsync(t => t.EnrichedAt == null));
            Assert.Equal(60, await db.CatalogTracks.CountAsync(t => t.ArtistIds != null));
        }

        // Each input row once in the output, all enriched; at most the one track in flight at the kill was asked twice.
        var ids = File.ReadAllLines(dir.File("enriched.csv")).Skip(1).Select(l => l.Split(',')[1]).ToList();
        Assert.Equal(62, ids.Count);
        Assert.Equal(62, ids.Distinct().Count());
        var fetchedTwice = spotify.RequestsTo("/v1/tracks/").Where(r => r.Status == 200).GroupBy(r => r.Path).Count(g => g.Count() > 1);
        Assert.True(fetchedTwice <= 1, $"{fetchedTwice} tracks fetched twice");
    }

    private static Process StartChild(string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Recs.Web.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    private static RecsDbContext OpenDatabase(TempDirectory dir) =>
        new(new DbContextOptionsBuilder<RecsDbContext>().UseSqlite($"Data Source={Path.Combine(dir.File("data"), "recs.db")};Pooling=False").Options);
}
