using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recs.Core.Persistence;

namespace Recs.Core.FeatureServices;

/// <summary>
/// <see cref="IKnownFeatureLookup"/> over the catalog (the cache) and, unless the provider is <c>none</c>, the
/// configured features service: ids neither in the catalog nor remembered as recent misses are asked about (see
/// <see cref="FeatureServiceFetcher"/>), and the answers stored, so each id is asked about once per deployment.
/// </summary>
public sealed class KnownFeatureLookup(
    IDbContextFactory<RecsDbContext> dbFactory,
    IOptions<FeatureServiceOptions> options,
    ILogger<KnownFeatureLookup> logger,
    FeatureServiceFetcher? fetcher = null,
    TimeProvider? time = null) : IKnownFeatureLookup
{
    /// <summary>Ids per database query (one collection parameter: json_each on SQLite, ANY(array) on PostgreSQL).</summary>
    internal const int CacheQueryChunk = 10_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Task<KnownFeatureLookupResult> LookupAsync(IReadOnlyCollection<string> spotifyTrackIds, CancellationToken cancellationToken) =>
        LookupCoreAsync(spotifyTrackIds, null, cancellationToken);

    public Task<KnownFeatureLookupResult> LookupTracksAsync(IReadOnlyCollection<TrackMetadata> tracks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var byId = new Dictionary<string, TrackMetadata>(StringComparer.Ordinal);
        foreach (var t in tracks)
        {
            if (t is { Id: { Length: > 0 } id, IsLocal: false })
            {
                byId.TryAdd(id, t);
            }
        }

        return LookupCoreAsync(byId.Keys, id => byId.GetValueOrDefault(id), cancellationToken);
    }

    private async Task<KnownFeatureLookupResult> LookupCoreAsync(IReadOnlyCollection<string> spotifyTrackIds, Func<string, TrackMetadata?>? metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spotifyTrackIds);
        var ids = Distinct(spotifyTrackIds);
        var found = await ReadCacheAsync(dbFactory, ids, cancellationToken);
        var fromCache = found.Count;
        if (!options.Value.Enabled || fetcher is null || found.Count == ids.Count)
        {
            return new KnownFeatureLookupResult(found, fromCache, FromService: 0, Misses: ids.Count - found.Count, Requests: 0, ThrottledUntil: null);
        }

        var unknown = ids.Where(id => !found.ContainsKey(id)).ToList();
        var remembered = await RecentMissesAsync(unknown, cancellationToken);
        var toAsk = unknown.Where(id => !remembered.Contains(id)).ToList();
        var fetch = await fetcher.FetchAsync(toAsk, metadata, onBatch: null, cancellationToken);
        foreach (var (id, f) in fetch.Found)
        {
            found[id] = f;
        }

        logger.LogDebug("Feature lookup of {Count} ids: {Cached} from the database, {Remembered} remembered misses, {Service} from the service in {Requests} requests",
            ids.Count, fromCache, remembered.Count, fetch.Found.Count, fetch.Requests);
        return new KnownFeatureLookupResult(found, fromCache, fetch.Found.Count, ids.Count - found.Count, fetch.Requests, fetch.ThrottledUntil);
    }

    /// <summary>Of <paramref name="ids"/>, those the service did not know within <see cref="FeatureServiceOptions.MissRetryAfter"/>.</summary>
    internal async Task<HashSet<string>> RecentMissesAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var since = _time.GetUtcNow() - options.Value.MissRetryAfter;
        var recent = new HashSet<string>(StringComparer.Ordinal);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var chunk in ids.Chunk(CacheQueryChunk))
        {
            var rows = await db.FeatureServiceMisses.AsNoTracking()
                .Where(m => chunk.Contains(m.TrackId))
                .Select(m => new { m.TrackId, m.MissedAt })
                .ToListAsync(cancellationToken);
            // Compared in memory: SQLite stores DateTimeOffset as binary, so the comparison stays provider-neutral.
            recent.UnionWith(rows.Where(r => r.MissedAt > since).Select(r => r.TrackId));
        }

        return recent;
    }

    internal static List<string> Distinct(IReadOnlyCollection<string> ids)
    {
        var seen = new HashSet<string>(ids.Count, StringComparer.Ordinal);
        var list = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            if (!string.IsNullOrWhiteSpace(id) && seen.Add(id))
            {
                list.Add(id);
            }
        }

        return list;
    }

    /// <summary>The catalog's real features for the ids it holds (any source).</summary>
    internal static async Task<Dictionary<string, AudioFeatures>> ReadCacheAsync(IDbContextFactory<RecsDbContext> dbFactory, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, AudioFeatures>(ids.Count, StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return found;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var chunk in ids.Chunk(CacheQueryChunk))
        {
            var rows = await db.CatalogTracks.AsNoTracking()
                .Where(t => chunk.Contains(t.Id))
                .Select(t => new { t.Id, t.Tempo, t.Energy, t.Danceability, t.Valence, t.Loudness })
                .ToListAsync(cancellationToken);
            foreach (var r in rows)
            {
                found[r.Id] = new AudioFeatures(r.Tempo, r.Energy, r.Danceability, r.Valence, r.Loudness);
            }
        }

        return found;
    }
}
