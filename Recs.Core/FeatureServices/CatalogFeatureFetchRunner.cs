using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recs.Core.Libraries;
using Recs.Core.Persistence;

namespace Recs.Core.FeatureServices;

/// <summary>Options of one "fetch features for the catalog" run.</summary>
/// <param name="Limit">Ask about at most this many tracks in this run; null for all.</param>
public sealed record CatalogFeatureFetchRequest(int? Limit = null);

/// <summary>Progress of a run: ids asked of the ids pending at its start, found and unknown so far.</summary>
public readonly record struct CatalogFeatureFetchProgress(int Done, int Total, int Found, int Missed);

/// <summary>How a run ended.</summary>
/// <param name="Found">Tracks the service knew (now catalog tracks, source <c>service</c>).</param>
/// <param name="Missed">Tracks it did not know (remembered; asked again after <c>MissRetryAfter</c>).</param>
/// <param name="Remaining">Known track ids still without features and not remembered as misses.</param>
/// <param name="Requests">Requests sent, retries included.</param>
/// <param name="PausedUntil">Set when the service throttled the run: the job pauses until then.</param>
public sealed record CatalogFeatureFetchOutcome(int Found, int Missed, int Remaining, int Requests, DateTimeOffset? PausedUntil);

/// <summary>
/// "Fetch features for the catalog": the catalog's own tracks all carry features, so what is worth asking about are
/// the Spotify tracks Recs has <em>seen</em> without features — the tracks of stored libraries (fetched from Spotify or
/// uploaded without feature columns) that are neither catalog tracks nor recent misses. Each answered batch is
/// stored at once (see <see cref="FeatureServiceFetcher"/>), and the pending set is computed from the database at the
/// start of every run, so a run after a pause, a throttle or a kill continues where the last stopped and never asks
/// about a track twice. The tracks' names come from the libraries; nothing about whose library it was is stored.
/// </summary>
public sealed class CatalogFeatureFetchRunner(
    IDbContextFactory<RecsDbContext> dbFactory,
    FeatureServiceFetcher fetcher,
    FeatureServiceThrottle throttle,
    IOptions<FeatureServiceOptions> options,
    TimeProvider time,
    ILogger<CatalogFeatureFetchRunner> logger)
{
    /// <summary>Ids per fetcher call: progress and cancellation are checked between these.</summary>
    internal const int Slice = 2_000;

    /// <summary>Known track ids without features that the service has not been asked about (or whose miss is old).</summary>
    public async Task<List<string>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var seen = await db.UserLibraryTracks.AsNoTracking()
            .Where(t => t.SpotifyId != null && !t.IsLocal && t.Tempo == null)
            .Where(t => !db.CatalogTracks.Any(c => c.Id == t.SpotifyId))
            .Select(t => t.SpotifyId!)
            .Distinct()
            .ToListAsync(cancellationToken);
        var since = time.GetUtcNow() - options.Value.MissRetryAfter;
        var misses = (await db.FeatureServiceMisses.AsNoTracking().Select(m => new { m.TrackId, m.MissedAt }).ToListAsync(cancellationToken))
            .Where(m => m.MissedAt > since)
            .Select(m => m.TrackId)
            .ToHashSet(StringComparer.Ordinal);
        seen.RemoveAll(misses.Contains);
        seen.Sort(StringComparer.Ordinal); // a stable order, so a resumed run asks in the same order
        return seen;
    }

    public async Task<CatalogFeatureFetchOutcome> RunAsync(CatalogFeatureFetchRequest request, IProgress<CatalogFeatureFetchProgress>? progress, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            throw new InvalidOperationException("No features service is configured (FeatureService:Provider is none): set FeatureService:Provider to reccobeats or spotify-compatible to fetch features.");
        }

        var pending = await PendingAsync(cancellationToken);
        if (request.Limit is { } limit && pending.Count > limit)
        {
            pending.RemoveRange(limit, pending.Count - limit);
        }

        if (throttle.Until is { } already && pending.Count > 0)
        {
            return new CatalogFeatureFetchOutcome(0, 0, pending.Count, 0, already);
        }

        int found = 0, missed = 0, requests = 0;
        progress?.Report(new CatalogFeatureFetchProgress(0, pending.Count, 0, 0));
        foreach (var slice in pending.Chunk(Slice))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var metadata = await MetadataAsync(slice, cancellationToken);
            var result = await fetcher.FetchAsync(slice, id => metadata.GetValueOrDefault(id), (f, m) =>
            {
                Interlocked.Add(ref found, f);
                Interlocked.Add(ref missed, m);
                progress?.Report(new CatalogFeatureFetchProgress(Volatile.Read(ref found) + Volatile.Read(ref missed), pending.Count, Volatile.Read(ref found), Volatile.Read(ref missed)));
            }, cancellationToken);
            requests += result.Requests;
            cancellationToken.ThrowIfCancellationRequested();
            if (result.ThrottledUntil is { } until)
            {
                var remaining = pending.Count - found - missed;
                logger.LogInformation("Catalog feature fetch throttled until {Until:u}: {Found} found, {Missed} unknown, {Remaining} to go", until, found, missed, remaining);
                return new CatalogFeatureFetchOutcome(found, missed, remaining, requests, until);
            }

            if (result.Error is { } error)
            {
                throw new FeatureServiceException($"{error} ({found:N0} tracks found and {missed:N0} unknown before it; run the job again to continue)");
            }
        }

        return new CatalogFeatureFetchOutcome(found, missed, (await PendingAsync(cancellationToken)).Count, requests, null);
    }

    /// <summary>The libraries' metadata for these ids (first row of each), so the catalog rows get names.</summary>
    private async Task<Dictionary<string, TrackMetadata>> MetadataAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var list = ids.ToList();
        var rows = await db.UserLibraryTracks.AsNoTracking().Where(t => list.Contains(t.SpotifyId!)).ToListAsync(cancellationToken);
        var byId = new Dictionary<string, TrackMetadata>(StringComparer.Ordinal);
        foreach (var t in rows)
        {
            byId.TryAdd(t.SpotifyId!, UserLibraryStore.ToMetadata(t));
        }

        return byId;
    }
}
