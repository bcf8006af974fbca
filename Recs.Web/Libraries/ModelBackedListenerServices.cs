using Microsoft.EntityFrameworkCore;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Clustering;
using Recs.Core.Demo;
using Recs.Core.Models;
using Recs.Core.Persistence;
using Microsoft.Extensions.Options;
using Recs.Web.Demo;

namespace Recs.Web.Libraries;

/// <summary>The listener's clusterer: the clustering feature's <see cref="LibraryClusterer"/> with the active model.</summary>
internal sealed class ActiveModelClusterer(ActiveModel active, LibraryClusterer clusterer) : IListenerClusterer
{
    public async Task<string?> GetActiveModelVersionAsync(CancellationToken cancellationToken)
        => (await active.GetAsync(cancellationToken))?.VersionId;

    public async Task<ClusteringResult> ClusterAsync(IReadOnlyList<TrackMetadata> tracks, bool useRecsModel, CancellationToken cancellationToken)
    {
        var model = await active.GetAsync(cancellationToken) ?? throw new NoActiveModelException();
        return clusterer.Cluster(model, tracks, useRecsModel);
    }
}

/// <summary>
/// Similar tracks from the active model's catalog lookup: the nearest catalog tracks to a track's features in the
/// model's scaled space (exact search over the in-memory vectors: ~90k × 5 floats takes about a millisecond), with
/// names and artists read from the catalog table for the few results.
/// </summary>
internal sealed class ModelSimilarTracks(ActiveModel active, IDbContextFactory<RecsDbContext> dbFactory) : ISimilarTracksSource
{
    public async Task<IReadOnlyList<SimilarTrack>?> FindAsync(AudioFeatures features, string? excludeId, int count, CancellationToken cancellationToken)
    {
        var model = await active.GetAsync(cancellationToken);
        if (model is null)
        {
            return null;
        }

        var target = model.Clusters.Scale(features);
        var lookup = model.Catalog;
        var vectors = lookup.ScaledVectors;
        var best = new PriorityQueue<int, double>();
        for (var i = 0; i < lookup.Count; i++)
        {
            var v = vectors.Slice(i * AudioFeatures.Count, AudioFeatures.Count);
            double d = 0;
            for (var j = 0; j < AudioFeatures.Count; j++)
            {
                var diff = v[j] - target[j];
                d += diff * diff;
            }

            // Keep the count + 1 nearest (one may be the track itself): a max-heap through negated priorities.
            if (best.Count <= count)
            {
                best.Enqueue(i, -d);
            }
            else if (best.TryPeek(out _, out var worst) && -worst > d)
            {
                best.DequeueEnqueue(i, -d);
            }
        }

        var nearest = new List<(int Index, double Distance)>();
        while (best.TryDequeue(out var index, out var negated))
        {
            nearest.Add((index, Math.Sqrt(-negated)));
        }

        nearest.Reverse();
        var chosen = nearest.Where(n => lookup.Ids[n.Index] != excludeId).Take(count).ToList();
        var ids = chosen.Select(n => lookup.Ids[n.Index]).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = await db.CatalogTracks.AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new { t.Id, t.Name, t.Artists }).ToDictionaryAsync(t => t.Id, cancellationToken);
        return chosen.Select(n =>
        {
            var id = lookup.Ids[n.Index];
            var known = names.GetValueOrDefault(id);
            return new SimilarTrack(id, known?.Name ?? id, known is null ? [] : known.Artists.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                lookup.Features(n.Index), Math.Round(n.Distance, 3));
        }).ToList();
    }
}

/// <summary>
/// The demo listener's library, drawn from the demo catalog by the demo generator (some tracks in the catalog, some
/// new). Null until the demo catalog is in the database (it is generated and trained at start-up).
/// </summary>
internal sealed class GeneratedDemoLibrary(IDbContextFactory<RecsDbContext> dbFactory, IOptions<DemoOptions> demoOptions) : IDemoLibrarySource
{
    // The same catalog the start-up seeding generated (same seed and size), so the library's catalog tracks match it.
    private readonly Lazy<IReadOnlyList<TrackMetadata>> _library = new(() =>
        DemoLibraryGenerator.Generate(DemoCatalogGenerator.Generate(trackCount: Math.Max(100, demoOptions.Value.Tracks)), DemoLibraryGenerator.DefaultSize));

    public async Task<IReadOnlyList<TrackMetadata>?> GenerateAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.CatalogTracks.AnyAsync(t => t.Source == CatalogSources.Demo, cancellationToken))
        {
            return null;
        }

        // Deterministic: generated once per process.
        return await Task.Run(() => _library.Value, cancellationToken);
    }
}
