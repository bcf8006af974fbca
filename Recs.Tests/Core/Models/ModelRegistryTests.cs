using Microsoft.EntityFrameworkCore;
using Recs.Core.Models;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.Models;

public sealed class ModelRegistryTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task NoModelIsActiveUntilOneIsActivated()
    {
        var models = new TestModels(_db, _dir.Path);
        var version = await models.CreateVersionAsync(3);

        Assert.Null(await models.Active.GetAsync());
        var activated = await models.Registry.ActivateAsync(version.Id);

        Assert.Same(activated, models.Active.Current);
        Assert.Equal(version.Id, activated.VersionId);
        Assert.Equal(3, activated.Clusters.K);
        Assert.Null(activated.Predictor);
        Assert.Single(await models.Registry.ListAsync(), v => v.IsActive && v.Id == version.Id);
    }

    [Fact]
    public async Task ActivatingAnotherVersionLeavesExactlyOneActiveAndRollbackReturnsToThePreviousOne()
    {
        var models = new TestModels(_db, _dir.Path);
        var a = await models.CreateVersionAsync(3);
        var b = await models.CreateVersionAsync(4);
        await models.Registry.ActivateAsync(a.Id);
        await models.Registry.ActivateAsync(b.Id);

        var rolledBack = await models.Registry.RollbackAsync();

        Assert.Equal(a.Id, rolledBack.VersionId);
        Assert.Equal(a.Id, models.Active.Current!.VersionId);
        var active = (await models.Registry.ListAsync()).Where(v => v.IsActive).ToList();
        Assert.Equal(a.Id, Assert.Single(active).Id);
    }

    [Fact]
    public async Task RollbackWithoutAnEarlierVersionSaysSo()
    {
        var models = new TestModels(_db, _dir.Path);
        var a = await models.CreateVersionAsync(3);
        await models.Registry.ActivateAsync(a.Id);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => models.Registry.RollbackAsync());

        Assert.Contains("roll back", ex.Message);
    }

    [Fact]
    public async Task ABrokenVersionIsNeverActivatedAndTheActiveOneStays()
    {
        var models = new TestModels(_db, _dir.Path);
        var good = await models.CreateVersionAsync(3);
        var broken = await models.CreateVersionAsync(4);
        await models.Registry.ActivateAsync(good.Id);
        // Broken where every instance reads it: the copy in the database (and this instance's files).
        File.WriteAllText(Path.Combine(broken.Directory, "cluster_model.json"), "{");
        await using (var db = _db.CreateDbContext())
        {
            var stored = await db.ModelVersionFiles.SingleAsync(f => f.VersionId == broken.Id && f.Name == "cluster_model.json");
            stored.Content = "{"u8.ToArray();
            stored.Sha256 = ModelFileStore.Sha256(stored.Content);
            await db.SaveChangesAsync();
        }

        await Assert.ThrowsAsync<InvalidDataException>(() => models.Registry.ActivateAsync(broken.Id));

        Assert.Equal(good.Id, models.Active.Current!.VersionId);
        Assert.Equal(good.Id, Assert.Single(await models.Registry.ListAsync(), v => v.IsActive).Id);
    }

    [Fact]
    public async Task RegisteringADirectoryWithoutTheClusterModelIsRefused()
    {
        var models = new TestModels(_db, _dir.Path);
        Directory.CreateDirectory(_dir.File("empty"));

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() =>
            models.Registry.RegisterAsync(new Recs.Core.Prediction.ModelVersion { Id = "v-empty", Directory = _dir.File("empty") }));

        Assert.Contains("cluster_model.json", ex.Message);
        Assert.Empty(await models.Registry.ListAsync());
    }

    [Fact]
    public async Task AfterARestartTheActiveVersionIsLoadedFromTheDatabaseAndDisk()
    {
        var before = new TestModels(_db, _dir.Path);
        var a = await before.CreateVersionAsync(3);
        var b = await before.CreateVersionAsync(5, seed: 2);
        await before.Registry.ActivateAsync(a.Id);
        var expected = await before.Registry.ActivateAsync(b.Id);

        var restarted = new TestModels(_db, _dir.Path);
        var loaded = await restarted.Active.GetAsync();

        Assert.NotNull(loaded);
        Assert.Equal(b.Id, loaded.VersionId);
        Assert.Equal(expected.Clusters.Names, loaded.Clusters.Names);
        Assert.Equal(expected.Clusters.Centroids, loaded.Clusters.Centroids);
        Assert.Equal(expected.Catalog.Count, loaded.Catalog.Count);
    }

    [Fact]
    public async Task ActiveModelNoticesAVersionActivatedByAnotherProcess()
    {
        var web = new TestModels(_db, _dir.Path);
        var cli = new TestModels(_db, _dir.Path);
        var a = await cli.CreateVersionAsync(3);
        await cli.Registry.ActivateAsync(a.Id);

        await web.Active.RefreshAsync();

        Assert.Equal(a.Id, web.Active.Current!.VersionId);
    }

    [Fact]
    public async Task ReadersDuringActivationsAlwaysSeeAConsistentBundle()
    {
        var models = new TestModels(_db, _dir.Path);
        var versions = new[] { await models.CreateVersionAsync(3), await models.CreateVersionAsync(4), await models.CreateVersionAsync(5) };
        var kById = versions.ToDictionary(v => v.Id, v => v.K);
        await models.Registry.ActivateAsync(versions[0].Id);
        using var stop = new CancellationTokenSource();
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();

        var readers = Enumerable.Range(0, 3).Select(reader => Task.Factory.StartNew(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested || reads < 100)
            {
                // A request takes the bundle once and uses only it: version, centroids and lookup must belong together.
                var model = models.Active.Current!;
                Assert.Equal(kById[model.VersionId], model.Clusters.K);
                Assert.Equal(model.Version.K, model.Clusters.K);
                Assert.True(model.Catalog.TryGet(model.Catalog.Ids[0], out var cluster, out _));
                Assert.InRange(cluster, 0, model.Clusters.K - 1);
                seen.AddOrUpdate(model.VersionId, 1, (_, n) => n + 1);
                reads++;
                Thread.Yield(); // two cores: leave the activations room to run
            }
        }, TaskCreationOptions.LongRunning)).ToList(); // own threads, so the activations' continuations never wait for the pool

        for (var i = 0; i < 12; i++)
        {
            await models.Registry.ActivateAsync(versions[i % versions.Length].Id);
        }

        stop.Cancel();
        await Task.WhenAll(readers);

        var last = versions[11 % versions.Length].Id;
        Assert.Equal(last, models.Active.Current!.VersionId);
        Assert.Equal(last, Assert.Single(await models.Registry.ListAsync(), v => v.IsActive).Id);
        Assert.True(seen.Count >= 2, "readers saw more than one version while activations flipped");
    }
}
