using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Recs.Tests.TestSupport.FakeFeatureService;

/// <summary>One scripted answer the fake gives instead of the normal one.</summary>
public sealed record FakeFeatureFault(int Status, TimeSpan? RetryAfter = null);

/// <summary>One request the fake received: its shape, the ids asked, the answer's status, and everything else it carried
/// (path and query as sent, every header) so a test can check what left the machine.</summary>
public sealed record FakeFeatureRequest(string Shape, IReadOnlyList<string> Ids, int Status, string? Authorization)
{
    /// <summary>Path and query string exactly as received (e.g. <c>/reccobeats/v1/audio-features?ids=a,b</c>).</summary>
    public string Target { get; init; } = "";

    /// <summary>Every request header (name, value).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

/// <summary>
/// A real HTTP features service on 127.0.0.1 speaking both documented shapes:
/// ReccoBeats at <see cref="ReccoBeatsBaseUrl"/> (<c>GET /audio-features?ids=</c>, at most 40 ids else 400
/// <c>{"status":4004,…}</c>, <c>{"content":[…]}</c> with ReccoBeats' own UUID as <c>id</c>, the Spotify id only in
/// <c>href</c>, unknown ids omitted, no time signature) and the Spotify-compatible shape at
/// <see cref="SpotifyCompatibleBaseUrl"/> (<c>{"audio_features":[… or null]}</c> in request order, at most 100 ids,
/// optional required key). Scripted faults (429 with Retry-After, 5xx), a latency, a request log.
/// </summary>
public sealed class FakeFeatureServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeTrackFeatures> _tracks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeFeatureFault> _faults = new();
    private readonly ConcurrentQueue<FakeFeatureRequest> _log = new();
    private int _received;
    private int _inFlight;
    private int _maxInFlight;

    private FakeFeatureServer(WebApplication app) => _app = app;

    /// <summary>e.g. <c>http://127.0.0.1:41234/reccobeats/v1</c>.</summary>
    public string ReccoBeatsBaseUrl { get; private set; } = "";

    /// <summary>e.g. <c>http://127.0.0.1:41234/spotify/v1</c>.</summary>
    public string SpotifyCompatibleBaseUrl { get; private set; } = "";

    /// <summary>Added to every answer (the bench uses 100 ms).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When set, the Spotify-compatible shape answers 401 unless <c>Authorization: Bearer {key}</c> is sent.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<FakeFeatureRequest> Requests => _log.ToArray();

    /// <summary>Most requests that were in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static async Task<FakeFeatureServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeFeatureServer(app);
        app.MapGet("/reccobeats/v1/audio-features", server.ReccoBeatsAsync);
        app.MapGet("/spotify/v1/audio-features", server.SpotifyAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        server.ReccoBeatsBaseUrl = address + "/reccobeats/v1";
        server.SpotifyCompatibleBaseUrl = address + "/spotify/v1";
        return server;
    }

    /// <summary>Tracks the service knows.</summary>
    public void Add(params FakeTrackFeatures[] tracks)
    {
        foreach (var t in tracks)
        {
            _tracks[t.SpotifyId] = t;
        }
    }

    /// <summary><paramref name="count"/> known tracks with deterministic ids and features; returns them.</summary>
    public IReadOnlyList<FakeTrackFeatures> AddGenerated(int count, int seed = 1)
    {
        var list = Enumerable.Range(0, count).Select(i => FakeTrackFeatures.Generated(seed, i)).ToArray();
        Add(list);
        return list;
    }

    /// <summary>The next requests get these answers, in order, before any normal one.</summary>
    public void Enqueue(params FakeFeatureFault[] faults)
    {
        foreach (var f in faults)
        {
            _faults.Enqueue(f);
        }
    }

    /// <summary>Answers given instead of the normal one to the n-th request received (1-based), e.g. "the second request is throttled".</summary>
    public ConcurrentDictionary<int, FakeFeatureFault> FaultsAtRequest { get; } = new();

    public void ClearLog() => _log.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task ReccoBeatsAsync(HttpContext context) => AnswerAsync(context, "reccobeats", 40, ids =>
    {
        var rows = ids.Where(_tracks.ContainsKey).Distinct().Select(id => _tracks[id]).Select(t => (object)FeaturesOf(t, new()
        {
            ["id"] = t.ReccoBeatsId,
            ["href"] = $"https://open.spotify.com/track/{t.SpotifyId}",
            ["isrc"] = null,
        }));
        // ReccoBeats does not promise request order: answer in reverse so a client relying on position fails.
        return new Dictionary<string, object?> { ["content"] = rows.Reverse().ToList() };
    });

    private Task SpotifyAsync(HttpContext context)
    {
        if (RequiredApiKey is { } key && context.Request.Headers.Authorization.ToString() != $"Bearer {key}")
        {
            return Reply(context, "spotify-compatible", [], 401, new { error = new { status = 401, message = "Invalid access token" } });
        }

        return AnswerAsync(context, "spotify-compatible", 100, ids => new Dictionary<string, object?>
        {
            ["audio_features"] = ids.Select(id => _tracks.TryGetValue(id, out var t)
                ? (object)FeaturesOf(t, new()
                {
                    ["id"] = t.SpotifyId,
                    ["analysis_url"] = $"https://api.spotify.com/v1/audio-analysis/{t.SpotifyId}",
                    ["duration_ms"] = t.DurationMs,
                    ["time_signature"] = 4,
                    ["track_href"] = $"https://api.spotify.com/v1/tracks/{t.SpotifyId}",
                    ["type"] = "audio_features",
                    ["uri"] = $"spotify:track:{t.SpotifyId}",
                })
                : null).ToList(),
        });
    }

    /// <summary><paramref name="row"/> (a shape's own fields) with the audio features both shapes carry under Spotify's names.</summary>
    private static Dictionary<string, object?> FeaturesOf(FakeTrackFeatures t, Dictionary<string, object?> row)
    {
        row["acousticness"] = t.Acousticness;
        row["danceability"] = t.Danceability;
        row["energy"] = t.Energy;
        row["instrumentalness"] = 0.0;
        row["key"] = t.Key;
        row["liveness"] = 0.1;
        row["loudness"] = t.Loudness;
        row["mode"] = t.Mode;
        row["speechiness"] = 0.05;
        row["tempo"] = t.Tempo;
        row["valence"] = t.Valence;
        return row;
    }

    private async Task AnswerAsync(HttpContext context, string shape, int maxIds, Func<IReadOnlyList<string>, object> body)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            int seen;
            while ((seen = Volatile.Read(ref _maxInFlight)) < inFlight && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
            {
            }

            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, context.RequestAborted);
            }

            var ids = context.Request.Query["ids"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
            var number = Interlocked.Increment(ref _received);
            if (FaultsAtRequest.TryRemove(number, out var fault) || _faults.TryDequeue(out fault))
            {
                if (fault.RetryAfter is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await Reply(context, shape, ids, fault.Status, new { status = fault.Status, error = "scripted" });
                return;
            }

            if (ids.Count == 0 || ids.Count > maxIds)
            {
                await Reply(context, shape, ids, 400, new { status = 4004, errors = new[] { new { message = $"size must be between 1 and {maxIds}" } } });
                return;
            }

            await Reply(context, shape, ids, 200, body(ids));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private Task Reply(HttpContext context, string shape, IReadOnlyList<string> ids, int status, object body)
    {
        _log.Enqueue(new FakeFeatureRequest(shape, ids, status, context.Request.Headers.Authorization.FirstOrDefault())
        {
            Target = context.Request.Path + context.Request.QueryString,
            Headers = context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))).ToList(),
        });
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }
}

/// <summary>A track the fake service knows.</summary>
public sealed record FakeTrackFeatures(string SpotifyId, double Tempo, double Energy, double Danceability, double Valence, double Loudness,
    int Key = 5, int Mode = 1, double Acousticness = 0.2, int DurationMs = 200_000)
{
    /// <summary>ReccoBeats' own id for it (a UUID derived from the Spotify id).</summary>
    public string ReccoBeatsId => new Guid(MD5.HashData(Encoding.UTF8.GetBytes(SpotifyId))).ToString();

    public Recs.Core.AudioFeatures Features => new(Tempo, Energy, Danceability, Valence, Loudness);

    /// <summary>A deterministic Spotify-shaped id (22 base-62 characters) for <paramref name="index"/>.</summary>
    public static string Id(int seed, int index)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{index}"));
        return string.Create(22, hash, (chars, h) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[h[i] % 62];
            }
        });
    }

    public static FakeTrackFeatures Generated(int seed, int index)
    {
        var r = new Random(HashCode.Combine(seed, index));
        return new FakeTrackFeatures(Id(seed, index), Math.Round(60 + (r.NextDouble() * 120), 3), Math.Round(r.NextDouble(), 4),
            Math.Round(r.NextDouble(), 4), Math.Round(r.NextDouble(), 4), Math.Round(-30 + (r.NextDouble() * 28), 3), r.Next(12), r.Next(2));
    }
}
