using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recs.Core.Catalog;
using Recs.Core.Clustering;
using Recs.Core.Libraries;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Listener;
using Recs.Web.Libraries;

namespace Recs.Tests.Web.Libraries;

/// <summary>
/// The clustering cache and the predictions switch (issue 15): a listener's first toggle finds the other setting ready
/// instead of clustering the library again. Observed through the clusterer's call count and the service's
/// background-idle signal, never through timing.
/// </summary>
public sealed class LibraryServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly FakeListenerClusterer _clusterer = new();
    private readonly UserLibraryStore _store;
    private readonly LibraryService _library;

    public LibraryServiceTests()
    {
        _store = new UserLibraryStore(_database, TimeProvider.System);
        _library = new LibraryService(_store, _clusterer, new CatalogRevision(_database), Options.Create(new ListenerOptions()), NullLogger<LibraryService>.Instance);
    }

    public void Dispose()
    {
        _library.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task AfterClusteringWithPredictionsTurningThemOffClustersNothingMore()
    {
        await SaveAsync(catalog: 6, predicted: 3);
        var on = (await _library.GetClusteringAsync("alice", useRecsModel: true)).Clustering!;

        var off = (await _library.GetClusteringAsync("alice", useRecsModel: false)).Clustering!;

        Assert.Equal(1, _clusterer.Calls);
        Assert.False(off.Result.UseRecsModel);
        Assert.Equal((9, 6, 0), (off.Result.Coverage.Total, off.Result.Coverage.Clustered, off.Result.Coverage.Predicted));
        Assert.Equal(["New song 0", "New song 1", "New song 2"], off.Result.Unclustered.Select(t => t.Name));
        Assert.All(off.Result.Unclustered, t => Assert.Null(t.Features));
        // The tracks with real features are the ones the clustering with predictions holds, not copies.
        var real = off.Result.Clusters.SelectMany(c => c.Tracks).ToList();
        Assert.Equal(6, real.Count);
        Assert.All(real, t => Assert.Contains(on.Result.Clusters.SelectMany(c => c.Tracks), o => ReferenceEquals(o, t)));
        // Derived once, then shared by every later request.
        Assert.Same(off, (await _library.GetClusteringAsync("alice", useRecsModel: false)).Clustering);
        Assert.Equal(1, _clusterer.Calls);
    }

    [Fact]
    public async Task AfterClusteringWithoutPredictionsTheClusteringWithThemIsReadyBeforeTheToggle()
    {
        await SaveAsync(catalog: 6, predicted: 3);
        var off = (await _library.GetClusteringAsync("alice", useRecsModel: false)).Clustering!;
        Assert.Equal(1, _clusterer.Calls);

        await _library.WhenPrecomputedAsync();
        Assert.Equal(2, _clusterer.Calls);
        var on = (await _library.GetClusteringAsync("alice", useRecsModel: true)).Clustering!;

        Assert.Equal(2, _clusterer.Calls);
        Assert.Equal((9, 3), (on.Result.Coverage.Clustered, on.Result.Coverage.Predicted));
        // Switched off again, the listener gets the variant that shares the tracks of the one with predictions, not the
        // first clustering's own copy of the library.
        var offAgain = (await _library.GetClusteringAsync("alice", useRecsModel: false)).Clustering!;
        Assert.NotSame(off, offAgain);
        Assert.Same(on.WithoutPredictions, offAgain);
        Assert.Equal(off.Result.Coverage, offAgain.Result.Coverage with { Tiers = off.Result.Coverage.Tiers });
        Assert.Equal(2, _clusterer.Calls);
    }

    [Fact]
    public async Task AStoredLibraryReplacesBothSettingsOfTheSwitch()
    {
        await SaveAsync(catalog: 6, predicted: 3);
        await _library.GetClusteringAsync("alice", useRecsModel: true);
        await _library.GetClusteringAsync("alice", useRecsModel: false);

        await SaveAsync(catalog: 2, predicted: 1);
        var off = (await _library.GetClusteringAsync("alice", useRecsModel: false)).Clustering!;
        await _library.WhenPrecomputedAsync();
        var on = (await _library.GetClusteringAsync("alice", useRecsModel: true)).Clustering!;

        Assert.Equal((3, 2), (off.Result.Coverage.Total, off.Result.Coverage.Clustered));
        Assert.Equal((3, 3), (on.Result.Coverage.Total, on.Result.Coverage.Clustered));
        Assert.Equal(3, _clusterer.Calls); // the new library without predictions, then with them in the background
    }

    [Fact]
    public async Task AnotherActiveModelReplacesBothSettingsOfTheSwitch()
    {
        await SaveAsync(catalog: 6, predicted: 3);
        await _library.GetClusteringAsync("alice", useRecsModel: true);

        _clusterer.ActiveModelVersion = "test-model-2";
        var off = (await _library.GetClusteringAsync("alice", useRecsModel: false)).Clustering!;
        await _library.WhenPrecomputedAsync();
        var on = (await _library.GetClusteringAsync("alice", useRecsModel: true)).Clustering!;

        Assert.Equal(("test-model-2", "test-model-2"), (off.Result.ModelVersion, on.Result.ModelVersion));
        Assert.Equal(3, _clusterer.Calls); // the old model's clustering is not reused for either setting
    }

    [Fact]
    public async Task TracksAddedToTheCatalogReplaceBothSettingsOfTheSwitch()
    {
        // Features the service answered, an import, a fetch-features job: tracks added since training count as real, so
        // a clustering made before them is out of date (whichever instance or CLI verb wrote them).
        await SaveAsync(catalog: 6, predicted: 3);
        await _library.GetClusteringAsync("alice", useRecsModel: true);
        await _library.GetClusteringAsync("alice", useRecsModel: false);
        Assert.Equal(1, _clusterer.Calls);

        await using (var db = _database.CreateDbContext())
        {
            await CatalogRevision.BumpAsync(db, DateTimeOffset.UtcNow, CancellationToken.None);
        }

        await _library.GetClusteringAsync("alice", useRecsModel: false);
        await _library.WhenPrecomputedAsync();
        await _library.GetClusteringAsync("alice", useRecsModel: true);

        Assert.Equal(3, _clusterer.Calls); // without predictions on request, then with them in the background
    }

    private Task SaveAsync(int catalog, int predicted)
        => _store.SaveAsync("alice", LibrarySource.Upload, LibraryBuilder.Tracks(catalog, predicted), fileName: "liked.csv");
}
