using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Recs.Core.Clustering;
using Recs.Core.Libraries;

namespace Recs.Web.Libraries;

/// <summary>Why a listener's library could not be clustered, or that it was.</summary>
public enum LibraryStatus
{
    /// <summary>The user has no stored library yet.</summary>
    NoLibrary,

    /// <summary>No model is active yet.</summary>
    NoModel,

    /// <summary>Clustered.</summary>
    Ready,
}

/// <summary>The outcome of <see cref="LibraryService.GetClusteringAsync"/>.</summary>
public sealed record LibraryClusteringResult(LibraryStatus Status, LibraryClustering? Clustering);

/// <summary>A page of the cluster table and how many rows the whole filtered view has.</summary>
public sealed record TrackPage(IReadOnlyList<TrackRow> Rows, int TotalRows, int ClusterSize);

/// <summary>Points of the scatter plot for one cluster.</summary>
public sealed record ScatterSeries(int ClusterId, string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// The listener's library, clustered: loads the stored library, runs the clusterer with the active model and keeps
/// the result in a bounded server-side cache keyed by (user, library version, model version, use_recs_model), so
/// every page and the API share one copy per user instead of each Blazor component holding the whole library.
/// </summary>
public sealed class LibraryService(
    UserLibraryStore store,
    IListenerClusterer clusterer,
    IOptions<ListenerOptions> options,
    ILogger<LibraryService> logger) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.Value.CacheTrackBudget });

    // One computation per key even when the library page and the API ask at once.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new();

    /// <summary>The user's library clustered with the active model, from the cache when possible.</summary>
    public async Task<LibraryClusteringResult> GetClusteringAsync(string userId, bool useRecsModel, CancellationToken cancellationToken = default)
    {
        var summary = await store.GetSummaryAsync(userId, cancellationToken);
        if (summary is null)
        {
            return new LibraryClusteringResult(LibraryStatus.NoLibrary, null);
        }

        var modelVersion = await clusterer.GetActiveModelVersionAsync(cancellationToken);
        if (modelVersion is null)
        {
            return new LibraryClusteringResult(LibraryStatus.NoModel, null);
        }

        var key = $"{userId}\u001f{summary.Version}\u001f{modelVersion}\u001f{useRecsModel}";
        if (_cache.TryGetValue(key, out LibraryClustering? cached) && cached is not null)
        {
            return new LibraryClusteringResult(LibraryStatus.Ready, cached);
        }

        var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_cache.TryGetValue(key, out cached) && cached is not null)
            {
                return new LibraryClusteringResult(LibraryStatus.Ready, cached);
            }

            var tracks = await store.LoadTracksAsync(userId, cancellationToken);
            ClusteringResult result;
            try
            {
                result = await clusterer.ClusterAsync(tracks, useRecsModel, cancellationToken);
            }
            catch (NoActiveModelException)
            {
                return new LibraryClusteringResult(LibraryStatus.NoModel, null);
            }

            var clustering = new LibraryClustering(summary, result);
            _cache.Set(key, clustering, new MemoryCacheEntryOptions
            {
                Size = Math.Max(1, summary.TrackCount),
                SlidingExpiration = TimeSpan.FromMinutes(options.Value.CacheMinutes),
            });
            logger.LogInformation("Clustered the library of {User} ({Tracks} tracks) with model {Model}, use_recs_model={UseRecs}",
                userId, summary.TrackCount, result.ModelVersion, useRecsModel);
            return new LibraryClusteringResult(LibraryStatus.Ready, clustering);
        }
        finally
        {
            gate.Release();
            _gates.TryRemove(key, out _);
        }
    }

    /// <summary>Drops every cached clustering (e.g. after a new model is activated elsewhere).</summary>
    public void Clear() => _cache.Clear();

    /// <summary>
    /// A page of a cluster's tracks, filtered and sorted by <paramref name="query"/>; null when the cluster does not exist.
    /// The component keeps only this page (the grid virtualises), never the cluster.
    /// </summary>
    public static TrackPage? QueryTracks(LibraryClustering clustering, int clusterId, TrackQuery query, int start, int count)
    {
        var rows = FilteredRows(clustering, clusterId, query);
        if (rows is null)
        {
            return null;
        }

        start = Math.Clamp(start, 0, rows.Count);
        count = Math.Clamp(count, 0, rows.Count - start);
        return new TrackPage(rows.Skip(start).Take(count).ToList(), rows.Count, clustering.FindCluster(clusterId)!.Tracks.Count);
    }

    /// <summary>Every row of a cluster's filtered, sorted view (for export and playlists); null for an unknown cluster.</summary>
    public static IReadOnlyList<TrackRow>? FilteredRows(LibraryClustering clustering, int clusterId, TrackQuery query)
    {
        var cluster = clustering.FindCluster(clusterId);
        return cluster is null ? null : query.Apply(cluster.Tracks.Select((t, i) => TrackRow.From(i, t)));
    }

    /// <summary>
    /// The library as scatter points on two features, one series per cluster, at most <paramref name="maxPoints"/> in
    /// all: a proportional, evenly spaced sample per cluster, so a 10,000-track library stays a light page.
    /// </summary>
    public static IReadOnlyList<ScatterSeries> Scatter(LibraryClustering clustering, int xFeature, int yFeature, int maxPoints)
    {
        var total = Math.Max(1, clustering.Result.Coverage.Clustered);
        var series = new List<ScatterSeries>();
        foreach (var cluster in clustering.Result.Clusters)
        {
            var usable = cluster.Tracks.Where(t => t.Features is { } f && (xFeature != 0 || f.HasTempo) && (yFeature != 0 || f.HasTempo)).ToList();
            var take = total <= maxPoints ? usable.Count : Math.Max(1, (int)Math.Round((double)usable.Count * maxPoints / total));
            var step = usable.Count <= take ? 1.0 : (double)usable.Count / take;
            var points = new List<(double, double)>(Math.Min(take, usable.Count));
            for (var i = 0.0; (int)i < usable.Count && points.Count < take; i += step)
            {
                var f = usable[(int)i].Features!.Value;
                points.Add((Math.Round(f[xFeature], 3), Math.Round(f[yFeature], 3)));
            }

            series.Add(new ScatterSeries(cluster.Id, cluster.Name, points));
        }

        return series;
    }

    public void Dispose() => _cache.Dispose();
}
