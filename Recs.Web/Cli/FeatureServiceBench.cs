using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Recs.Core;
using Recs.Core.FeatureServices;
using Recs.Core.Persistence;

namespace Recs.Web.Cli;

/// <summary>
/// <c>bench --feature-service [--tracks N] [--latency-ms N]</c> (issue 12's goal): a 10,000-track library whose features
/// come from a features service on loopback answering in ReccoBeats' shape after 100 ms. Measures the wall time to
/// resolve every track on first fetch (goal &lt; 30 s, ⌈N / batch⌉ requests) and again once all is cached
/// (goal &lt; 1 s, no request), through the same <see cref="IKnownFeatureLookup"/> the app uses, in a private
/// temporary data directory.
/// </summary>
internal static class FeatureServiceBench
{
    public static async Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken cancellationToken)
    {
        var tracks = args.Int("tracks", 10_000, 1, 1_000_000);
        var latency = TimeSpan.FromMilliseconds(args.Int("latency-ms", 100, 0, 10_000));
        var temp = BenchVerb.CreateTemporaryDirectory("recs-bench-fs-");
        try
        {
            await using var service = await LoopbackReccoBeats.StartAsync(tracks, latency, cancellationToken);
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                Args = [$"--Recs:DataDirectory={temp}", "--FeatureService:Provider=reccobeats", $"--FeatureService:BaseUrl={service.BaseUrl}"],
                ContentRootPath = AppContext.BaseDirectory,
            });
            builder.Logging.ClearProviders();
            builder.AddRecsServices();
            using var host = builder.Build();
            await host.Services.MigrateRecsDatabaseAsync(cancellationToken);
            var lookup = host.Services.GetRequiredService<IKnownFeatureLookup>();
            var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<FeatureServiceOptions>>().Value;
            var counter = host.Services.GetRequiredService<FeatureServiceRequestCounter>();
            var library = Enumerable.Range(0, tracks)
                .Select(i => new TrackMetadata { Id = LoopbackReccoBeats.Id(i), Name = $"Track {i}", Artists = [$"Artist {i % 997}"] })
                .ToList();

            output.Progress($"first fetch of {tracks:N0} tracks from a loopback features service ({latency.TotalMilliseconds:0} ms per answer)…");
            var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var first = await lookup.LookupTracksAsync(library, cancellationToken);
            var firstSeconds = sw.Elapsed.TotalSeconds;
            process.Refresh();
            var cpu1 = process.TotalProcessorTime;
            var firstRequests = counter.Total;

            output.Progress("second fetch (all cached)…");
            sw.Restart();
            var second = await lookup.LookupTracksAsync(library, cancellationToken);
            var secondMs = sw.Elapsed.TotalMilliseconds;
            process.Refresh();
            var cpu2 = process.TotalProcessorTime;
            var secondRequests = counter.Total - firstRequests;

            var expected = (tracks + options.EffectiveBatchSize - 1) / options.EffectiveBatchSize;
            var result = new FeatureServiceBenchJson(tracks, options.NormalizedProvider, options.EffectiveBatchSize, options.MaxConcurrency,
                (int)latency.TotalMilliseconds, first.Found.Count, first.FromService, Math.Round(firstSeconds, 2), firstRequests, expected,
                second.Found.Count, second.FromCache, Math.Round(secondMs, 1), secondRequests, Environment.ProcessorCount,
                Math.Round((cpu1 - cpu0).TotalSeconds, 2), Math.Round((cpu2 - cpu1).TotalMilliseconds, 1),
                firstSeconds < 30 && secondMs < 1000 && firstRequests == expected && secondRequests == 0 && first.Found.Count == tracks && second.Found.Count == tracks);
            output.Result(result);
            output.Line($"Feature service bench: {tracks:N0} tracks, {options.NormalizedProvider} shape on loopback, {latency.TotalMilliseconds:0} ms latency, batch {options.EffectiveBatchSize}, {options.MaxConcurrency} in flight, {Environment.ProcessorCount} cores");
            output.Line(string.Create(CultureInfo.InvariantCulture, $"  first fetch   {firstSeconds,10:0.00} s   {firstRequests:N0} requests (⌈{tracks:N0}/{options.EffectiveBatchSize}⌉ = {expected:N0}), {first.Found.Count:N0} resolved, {result.FirstFetchCpuSeconds:0.00} s CPU   goal < 30 s"));
            output.Line(string.Create(CultureInfo.InvariantCulture, $"  second fetch  {secondMs,10:0.0} ms  {secondRequests:N0} requests, {second.Found.Count:N0} resolved from the catalog, {result.SecondFetchCpuMs:0} ms CPU   goal < 1 s, 0 requests"));
            output.Line(result.GoalsMet ? "  goals met" : "  GOALS NOT MET");
            return result.GoalsMet ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            BenchVerb.DeleteTemporaryDirectory(temp);
        }
    }

    private sealed record FeatureServiceBenchJson(
        int Tracks, string Provider, int BatchSize, int MaxConcurrency, int LatencyMs,
        int FirstResolved, int FirstFromService, double FirstFetchSeconds, int FirstFetchRequests, int ExpectedRequests,
        int SecondResolved, int SecondFromCache, double SecondFetchMs, int SecondFetchRequests, int Cores,
        double FirstFetchCpuSeconds, double SecondFetchCpuMs, bool GoalsMet);

    /// <summary>
    /// A ReccoBeats-shaped features service on 127.0.0.1 for the bench only (never used by the app): knows every
    /// generated id, answers <c>{"content":[…]}</c> with the Spotify id in <c>href</c> after a fixed latency.
    /// </summary>
    private sealed class LoopbackReccoBeats : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private LoopbackReccoBeats(WebApplication app, string baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public static string Id(int index)
        {
            const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"bench:{index}"));
            return string.Create(22, hash, (chars, h) =>
            {
                for (var i = 0; i < chars.Length; i++)
                {
                    chars[i] = alphabet[h[i] % 62];
                }
            });
        }

        public static async Task<LoopbackReccoBeats> StartAsync(int tracks, TimeSpan latency, CancellationToken cancellationToken)
        {
            var known = new HashSet<string>(Enumerable.Range(0, tracks).Select(Id), StringComparer.Ordinal);
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapGet("/v1/audio-features", async (HttpContext context) =>
            {
                await Task.Delay(latency, context.RequestAborted);
                var ids = context.Request.Query["ids"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
                if (ids.Count is 0 or > FeatureServiceProviders.ReccoBeatsMaxBatchSize)
                {
                    return Results.Json(new { status = 4004, errors = new[] { new { message = "size must be between 1 and 40" } } }, statusCode: 400);
                }

                var content = ids.Where(known.Contains).Select(id =>
                {
                    var h = SHA256.HashData(Encoding.UTF8.GetBytes(id));
                    return new Dictionary<string, object?>
                    {
                        ["id"] = new Guid(h.AsSpan(0, 16)).ToString(),
                        ["href"] = $"https://open.spotify.com/track/{id}",
                        ["acousticness"] = h[0] / 255.0,
                        ["danceability"] = h[1] / 255.0,
                        ["energy"] = h[2] / 255.0,
                        ["instrumentalness"] = h[3] / 255.0,
                        ["key"] = h[4] % 12,
                        ["liveness"] = h[5] / 255.0,
                        ["loudness"] = -30 + (h[6] / 255.0 * 28),
                        ["mode"] = h[7] % 2,
                        ["speechiness"] = h[8] / 255.0,
                        ["tempo"] = 60 + (h[9] / 255.0 * 120),
                        ["valence"] = h[10] / 255.0,
                    };
                }).ToList();
                return Results.Json(new { content });
            });
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            return new LoopbackReccoBeats(app, address + "/v1");
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
