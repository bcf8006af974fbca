using Microsoft.EntityFrameworkCore;
using Recs.Core.Catalog;
using Recs.Core.FeatureServices;
using Recs.Core.Models;
using Recs.Core.Persistence;

namespace Recs.Core.RealFeatures;

/// <summary>Real features found for a library beyond its file and the model's catalog, and what finding them took.</summary>
/// <param name="Known">By Spotify id: catalog tracks added after training (source catalog) and service answers (source service).</param>
/// <param name="Asked">Distinct ids that had to be looked up (no file features, not in the model's catalog).</param>
/// <param name="Lookup">The features lookup's own report (requests sent, throttling), or null when nothing was asked.</param>
public sealed record RealFeatureResolution(IReadOnlyDictionary<string, KnownTrackFeatures> Known, int Asked, KnownFeatureLookupResult? Lookup)
{
    /// <summary>Nothing found, nothing asked.</summary>
    public static readonly RealFeatureResolution None = new(new Dictionary<string, KnownTrackFeatures>(), 0, null);
}

/// <summary>
/// Finds real features for the tracks of a library that neither its file nor the model's catalog know (docs/contracts.md §Pipeline item 7):
/// asks <see cref="IKnownFeatureLookup"/> (the database's catalog — every source, including tracks added after the model
/// was trained — then the configured features service) and tells which answers are the catalog's and which a service's.
/// A catalog row that a features service contributed (source <c>service</c>) counts as <see cref="FeatureSource.Service"/>:
/// the listener is told where the numbers really come from. Thread-safe.
/// </summary>
public sealed class RealFeatureResolver(IKnownFeatureLookup lookup, IDbContextFactory<RecsDbContext> dbFactory)
{
    /// <summary>Tracks whose real features the file and the model's catalog do not give (first of each id, in library order).</summary>
    public static IReadOnlyList<TrackMetadata> Unresolved(RecsModel model, IReadOnlyList<TrackMetadata> tracks)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tracks);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<TrackMetadata>();
        foreach (var t in tracks)
        {
            if (t.KnownFeatures is not null || t.IsLocal || t.Id is not { Length: > 0 } id
                || model.Catalog.TryGetIndex(id, out _)
                || model.Catalog.TryGetByArtistTitle(TextKeys.Normalize(t.PrimaryArtist), TextKeys.Title(t.Name), out _))
            {
                continue;
            }

            if (seen.Add(id))
            {
                ids.Add(t);
            }
        }

        return ids;
    }

    /// <summary>Looks up the library's unresolved tracks (see <see cref="Unresolved"/>).</summary>
    public async Task<RealFeatureResolution> ResolveAsync(RecsModel model, IReadOnlyList<TrackMetadata> tracks, CancellationToken cancellationToken)
    {
        var ids = Unresolved(model, tracks);
        if (ids.Count == 0)
        {
            return RealFeatureResolution.None;
        }

        var result = await lookup.LookupTracksAsync(ids, cancellationToken);
        if (result.Found.Count == 0)
        {
            return new RealFeatureResolution(new Dictionary<string, KnownTrackFeatures>(), ids.Count, result);
        }

        // Which answers are catalog rows of a curated source (Kaggle, an export import, the demo): those are "catalog";
        // service-contributed rows and fresh service answers are "service"; rows from other listeners' files are "catalog".
        var curated = new HashSet<string>(StringComparer.Ordinal);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            foreach (var chunk in result.Found.Keys.Chunk(1000))
            {
                var rows = await db.CatalogTracks.AsNoTracking()
                    .Where(t => chunk.Contains(t.Id) && t.Source != CatalogSources.Service)
                    .Select(t => t.Id)
                    .ToListAsync(cancellationToken);
                curated.UnionWith(rows);
            }
        }

        var known = new Dictionary<string, KnownTrackFeatures>(result.Found.Count, StringComparer.Ordinal);
        foreach (var (id, features) in result.Found)
        {
            known[id] = new KnownTrackFeatures(features, curated.Contains(id) ? FeatureSource.Catalog : FeatureSource.Service);
        }

        return new RealFeatureResolution(known, ids.Count, result);
    }
}
