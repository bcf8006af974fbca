using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Recs.Core.Catalog;
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
/// the result in a bounded server-side cache keyed by (user, library version, model version, catalog revision,
/// use_recs_model), so every page and the API share one copy per user instead of each Blazor component holding the
/// whole library. The catalog's revision (<see cref="CatalogRevision"/>) is part of the key because tracks added to the
/// catalog since training — an import, features the service answered, a fetch-features job — count as real features:
/// a clustering made before them is out of date on every instance, whichever instance or CLI verb wrote them.
/// </summary>
/// <remarks>
/// Both settings of the predictions switch are ready before a listener flips it (issue 15: a first toggle clustered
/// the library afresh, 1.2 s at p95 with 200 listeners). With predictions on, the clustering without them is derived
/// from the cached one on first use (<see cref="LibraryClustering.WithoutPredictions"/>: one pass, the tracks shared,
/// held in the same cache entry). With predictions off, the clustering with them is computed in the background, one
/// at a time and only while no request is clustering; once it is cached, the switched-off variant comes from it and
/// its own copy is dropped. A change of library, model or catalog changes the key, so neither variant is ever served
/// stale, and background work for an older one is skipped.
/// </remarks>
public sealed class LibraryService(
    UserLibraryStore store,
    IListenerClusterer clusterer,
    CatalogRevision catalog,
    IOptions<ListenerOptions> options,
    ILogger<LibraryService> logger) : IDisposable
{
    // Listeners whose predictions-on clustering may wait in the background queue; more and the toggle clusters when asked.
    private const int PrecomputeQueueLimit = 1024;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.Value.CacheTrackBudget });

    // One computation per key even when the library page and the API ask at once.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new();

    private readonly Channel<Precompute> _precompute = Channel.CreateBounded<Precompute>(
        new BoundedChannelOptions(PrecomputeQueueLimit) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    // Keys queued or being computed in the background: one entry per listener however often they ask.
    private readonly ConcurrentDictionary<string, byte> _precomputing = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task? _worker;
    private int _requestsClustering;
    private int _generation; // bumped by Clear: work queued before it is dropped
    private int _pendingWork;
    private TaskCompletionSource _idle = CompletedSource();

    private sealed record Precompute(string UserId, int LibraryVersion, string Basis, int Generation);

    /// <summary>The user's library clustered with the active model, from the cache when possible.</summary>
    public async Task<LibraryClusteringResult> GetClusteringAsync(string userId, bool useRecsModel, CancellationToken cancellationToken = default)
    {
        var summary = await store.GetSummaryAsync(userId, cancellationToken);
        if (summary is null)
        {
            return new LibraryClusteringResult(LibraryStatus.NoLibrary, null);
        }

        var basis = await BasisAsync(cancellationToken);
        if (basis is null)
        {
            return new LibraryClusteringResult(LibraryStatus.NoModel, null);
        }

        var clustering = await GetOrClusterAsync(userId, summary, basis, useRecsModel, background: false, cancellationToken);
        return clustering is null
            ? new LibraryClusteringResult(LibraryStatus.NoModel, null)
            : new LibraryClusteringResult(LibraryStatus.Ready, clustering);
    }

    /// <summary>Drops every cached clustering (e.g. after a new model is activated elsewhere) and the background work queued.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _cache.Clear();
    }

    /// <summary>
    /// Completes when no clustering is queued or running in the background (tests and the circuit bench wait for it
    /// instead of for a time).
    /// </summary>
    internal Task WhenPrecomputedAsync()
    {
        lock (_lock)
        {
            return _idle.Task;
        }
    }

    // What a clustering rests on besides the library: the active model and the catalog's revision. Null: no model.
    private async Task<string?> BasisAsync(CancellationToken cancellationToken)
    {
        var model = await clusterer.GetActiveModelVersionAsync(cancellationToken);
        return model is null ? null : $"{model}\u001f{await catalog.ReadAsync(cancellationToken)}";
    }

    private static string Key(string userId, int libraryVersion, string basis, bool useRecsModel)
        => $"{userId}\u001f{libraryVersion}\u001f{basis}\u001f{useRecsModel}";

    private LibraryClustering? FromCache(string userId, int libraryVersion, string basis, bool useRecsModel)
    {
        // Predictions off: derived from the clustering with them when that is cached (and it is kept alive with it).
        if (!useRecsModel && _cache.TryGetValue(Key(userId, libraryVersion, basis, true), out LibraryClustering? on) && on?.WithoutPredictions is { } off)
        {
            return off;
        }

        return _cache.TryGetValue(Key(userId, libraryVersion, basis, useRecsModel), out LibraryClustering? cached) ? cached : null;
    }

    // Null when the model went away meanwhile.
    private async Task<LibraryClustering?> GetOrClusterAsync(
        string userId, UserLibrarySummary summary, string basis, bool useRecsModel, bool background, CancellationToken cancellationToken)
    {
        if (FromCache(userId, summary.Version, basis, useRecsModel) is { } cached)
        {
            return cached;
        }

        var key = Key(userId, summary.Version, basis, useRecsModel);
        var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        if (!background)
        {
            Interlocked.Increment(ref _requestsClustering);
        }

        try
        {
            if (FromCache(userId, summary.Version, basis, useRecsModel) is { } arrived)
            {
                return arrived;
            }

            var tracks = await store.LoadTracksAsync(userId, cancellationToken);
            ClusteringResult result;
            try
            {
                result = await clusterer.ClusterAsync(tracks, useRecsModel, cancellationToken);
            }
            catch (NoActiveModelException)
            {
                return null;
            }

            var clustering = new LibraryClustering(summary, result);
            _cache.Set(key, clustering, new MemoryCacheEntryOptions
            {
                Size = Math.Max(1, summary.TrackCount),
                SlidingExpiration = TimeSpan.FromMinutes(options.Value.CacheMinutes),
            });
            logger.LogInformation("Clustered the library of {User} ({Tracks} tracks) with model {Model}, use_recs_model={UseRecs}{Background}",
                userId, summary.TrackCount, result.ModelVersion, useRecsModel, background ? " (in the background)" : "");
            if (result.UseRecsModel && result.InLibraryOrder is not null)
            {
                // The switched-off clustering comes from this one from now on: drop its own copy of the library.
                _cache.Remove(Key(userId, summary.Version, basis, false));
            }
            else if (!useRecsModel)
            {
                SchedulePrecompute(userId, summary.Version, basis);
            }

            return clustering;
        }
        finally
        {
            if (!background)
            {
                Interlocked.Decrement(ref _requestsClustering);
            }

            gate.Release();
            _gates.TryRemove(key, out _);
        }
    }

    // Queues the predictions-on clustering of a library just clustered without them, so that turning them on finds it
    // ready. Deduplicated per key; when the queue is full the toggle clusters on demand, as it always could.
    private void SchedulePrecompute(string userId, int libraryVersion, string basis)
    {
        var key = Key(userId, libraryVersion, basis, true);
        if (_stopping.IsCancellationRequested || !_precomputing.TryAdd(key, 0))
        {
            return;
        }

        lock (_lock)
        {
            if (_pendingWork++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            // On the thread pool, never on the caller's (a circuit's) synchronisation context; started once.
            _worker ??= Task.Run(() => RunPrecomputeAsync(_stopping.Token));
        }

        if (!_precompute.Writer.TryWrite(new Precompute(userId, libraryVersion, basis, Volatile.Read(ref _generation))))
        {
            Done(key);
        }
    }

    private async Task RunPrecomputeAsync(CancellationToken cancellationToken)
    {
        await foreach (var work in _precompute.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                await PrecomputeAsync(work, cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The toggle clusters on demand instead: nothing is lost but the head start.
                logger.LogWarning(e, "Clustering the library of {User} with predictions in the background failed", work.UserId);
            }
            finally
            {
                Done(Key(work.UserId, work.LibraryVersion, work.Basis, true));
            }
        }
    }

    private async Task PrecomputeAsync(Precompute work, CancellationToken cancellationToken)
    {
        // Behind the listeners' own requests: two cores serve every open page, and this is only a head start.
        while (Volatile.Read(ref _requestsClustering) > 0)
        {
            await Task.Delay(50, cancellationToken);
        }

        if (work.Generation != Volatile.Read(ref _generation))
        {
            return; // the cache was cleared since
        }

        // A library stored or a model activated since: the work is for a key no request will ask for again.
        var summary = await store.GetSummaryAsync(work.UserId, cancellationToken);
        if (summary is null || summary.Version != work.LibraryVersion
            || await BasisAsync(cancellationToken) != work.Basis)
        {
            return;
        }

        await GetOrClusterAsync(work.UserId, summary, work.Basis, useRecsModel: true, background: true, cancellationToken);
    }

    private void Done(string key)
    {
        _precomputing.TryRemove(key, out _);
        lock (_lock)
        {
            if (--_pendingWork == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }

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

    public void Dispose()
    {
        // The worker stops at its next await; the token source is not disposed under it (it holds no timer).
        _stopping.Cancel();
        _precompute.Writer.TryComplete();
        _cache.Dispose();
    }
}
