using System.Collections.Concurrent;

namespace Recs.Core.FeatureServices;

/// <summary>
/// Counts every HTTP request sent to the features service (each retry included) by status, like
/// <see cref="Spotify.SpotifyRequestCounter"/>: tests and the bench compare requests made with ⌈ids / batch⌉. Singleton.
/// A request can also carry a per-call <see cref="RequestTally"/> so one lookup reports its own requests.
/// </summary>
public sealed class FeatureServiceRequestCounter
{
    private readonly ConcurrentDictionary<int, int> _byStatus = new();

    public void Record(int status) => _byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);

    /// <summary>All requests since start (or <see cref="Reset"/>).</summary>
    public int Total => _byStatus.Values.Sum();

    /// <summary>Requests answered with <paramref name="status"/> (0 = no answer).</summary>
    public int Count(int status) => _byStatus.TryGetValue(status, out var n) ? n : 0;

    public void Reset() => _byStatus.Clear();
}

/// <summary>Requests of one lookup or job step, retries included (thread-safe).</summary>
public sealed class RequestTally
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    internal void Add() => Interlocked.Increment(ref _count);
}

/// <summary>Innermost handler of the features service clients, so every attempt is counted.</summary>
internal sealed class FeatureServiceCountingHandler(FeatureServiceRequestCounter counter) : DelegatingHandler
{
    internal static readonly HttpRequestOptionsKey<RequestTally> TallyKey = new("Recs.FeatureService.Tally");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var tally = request.Options.TryGetValue(TallyKey, out var t) ? t : null;
        tally?.Add();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            counter.Record((int)response.StatusCode);
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            counter.Record(0);
            throw;
        }
    }
}
