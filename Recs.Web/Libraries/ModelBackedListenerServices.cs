using Microsoft.EntityFrameworkCore;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Clustering;
using Recs.Core.Demo;
using Recs.Core.Models;
using Recs.Core.Persistence;
using Recs.Core.RealFeatures;
using Microsoft.Extensions.Options;
using Recs.Web.Demo;
using Recs.Core.Prediction.Serving;

namespace Recs.Web.Libraries;

/// <summary>The listener's clusterer: the clustering feature's <see cref="LibraryClusterer"/> with the active model.</summary>
/// <remarks>
/// Tracks that neither the library's file nor the model's catalog know are looked up first (<see cref="RealFeatureResolver"/>:
/// catalog tracks added since training, then the features service — cached, so after the fetch or upload that asked
/// it, this costs one database read).
/// </remarks>
internal sealed class ActiveModelClusterer(ActiveModel active, LibraryClusterer clusterer, RealFeatureResolver resolver) : IListenerClusterer
{
    public async Task<string?> GetActiveModelVersionAsync(CancellationToken cancellationToken)
        => (await active.GetAsync(cancellationToken))?.VersionId;

    public async Task<ClusteringResult> ClusterAsync(IReadOnlyList<TrackMetadata> tracks, bool useRecsModel, CancellationToken cancellationToken)
    {
        var model = await active.GetAsync(cancellationToken) ?? throw new NoActiveModelException();
        var resolved = await resolver.ResolveAsync(model, tracks, cancellationToken);
        return clusterer.Cluster(model, tracks, useRecsModel, resolved.Known);
    }
}

/// <summary>
/// Similar tracks: the prediction feature's <see cref="Recs.Core.Prediction.SimilarTracks"/> (nearest catalog tracks in
/// the active model's scaled space), with names and artists read from the catalog table for the few results.
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

        var nearest = Recs.Core.Prediction.Serving.SimilarTracks.Find(model.Clusters, model.Catalog, features, count, excludeId);
        var ids = nearest.Select(n => n.Id).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = await db.CatalogTracks.AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new { t.Id, t.Name, t.Artists }).ToDictionaryAsync(t => t.Id, cancellationToken);
        return nearest.Select(n =>
        {
            var known = names.GetValueOrDefault(n.Id);
            return new SimilarTrack(n.Id, known?.Name ?? n.Id,
                known is null ? [] : known.Artists.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                n.Features, Math.Round(n.Distance, 3));
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
