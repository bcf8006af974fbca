using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recs.Core.Persistence;

namespace Recs.Core.FeatureServices;

/// <summary>
/// <see cref="IKnownFeatureLookup"/> over the catalog (the cache) and, unless the provider is <c>none</c>, the
/// configured features service.
/// </summary>
public sealed class KnownFeatureLookup(
    IDbContextFactory<RecsDbContext> dbFactory,
    IOptions<FeatureServiceOptions> options,
    ILogger<KnownFeatureLookup> logger) : IKnownFeatureLookup
{
    /// <summary>Ids per database query (well under SQLite's and PostgreSQL's parameter limits).</summary>
    internal const int CacheQueryChunk = 1000;

    public async Task<KnownFeatureLookupResult> LookupAsync(IReadOnlyCollection<string> spotifyTrackIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spotifyTrackIds);
        var ids = Distinct(spotifyTrackIds);
        var found = await ReadCacheAsync(dbFactory, ids, cancellationToken);
        var fromCache = found.Count;
        if (!options.Value.Enabled)
        {
            logger.LogDebug("Feature lookup of {Count} ids: {Cached} from the database; FeatureService:Provider=none, nothing asked", ids.Count, fromCache);
        }

        return new KnownFeatureLookupResult(found, fromCache, FromService: 0, Misses: ids.Count - found.Count, Requests: 0, ThrottledUntil: null);
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
