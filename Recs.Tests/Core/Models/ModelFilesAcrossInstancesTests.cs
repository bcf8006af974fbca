using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Clustering;
using Recs.Core.Prediction;
using Recs.Core.Models;
using Recs.Core.Prediction.Serving;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Postgres;

namespace Recs.Tests.Core.Models;

/// <summary>
/// Model versions kept in the database (ADR-151): two "instances" = two <see cref="TestModels"/> on one database with
/// different data directories, on both providers.
/// </summary>
public sealed class ModelFilesAcrossInstancesTests
{
    [Theory, InlineData("sqlite"), PostgresData]
    public async Task AVersionRegisteredOnOneInstanceIsLoadedByAnotherFromTheDatabase(string provider)
    {
        using var database = new TestDatabase(provider);
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        var a = new TestModels(database, dirA.Path);
        var version = await a.CreateVersionAsync(4);
        await a.Registry.ActivateAsync(version.Id);
        var b = new TestModels(database, dirB.Path);
        AsIfOnAnotherMachine(version.Directory);

        var loaded = await b.Active.GetAsync();

        Assert.NotNull(loaded);
        Assert.Equal(version.Id, loaded.VersionId);
        Assert.Equal(a.Active.Current!.Clusters.Centroids, loaded.Clusters.Centroids);
        var copy = b.Files.LocalDirectory(version.Id);
        Assert.StartsWith(dirB.Path, copy);
        Assert.Equal(copy, loaded.Version.Directory);
        foreach (var file in ModelArtifacts.RequiredFiles)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(version.Directory + ".elsewhere", file)), File.ReadAllBytes(Path.Combine(copy, file)));
        }

        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(copy)!, ".tmp-*"));
        Assert.Equal(1, b.Active.Loads);
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task EveryFileOfAVersionIsStoredWithItsRowAndADamagedLocalCopyIsRewritten(string provider)
    {
        using var database = new TestDatabase(provider);
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        var a = new TestModels(database, dirA.Path);
        var version = await a.CreateVersionAsync(3);
        await a.Registry.ActivateAsync(version.Id);
        await using (var db = database.CreateDbContext())
        {
            var stored = await db.ModelVersionFiles.Where(f => f.VersionId == version.Id).ToListAsync();
            Assert.Equal(Directory.GetFiles(version.Directory).Select(Path.GetFileName).Order(), stored.Select(f => f.Name).Order());
            Assert.All(stored, f => Assert.Equal(ModelFileStore.Sha256(File.ReadAllBytes(Path.Combine(version.Directory, f.Name))), f.Sha256));
        }

        // B has a copy whose cluster model was damaged (a disk error, a half-written file of an older Recs).
        var b = new TestModels(database, dirB.Path);
        AsIfOnAnotherMachine(version.Directory);
        var copy = b.Files.LocalDirectory(version.Id);
        await b.Active.GetAsync();
        File.WriteAllText(Path.Combine(copy, ModelArtifacts.ClusterModelFile), "{");
        var restarted = new TestModels(database, dirB.Path);

        var loaded = await restarted.Active.GetAsync();

        Assert.NotNull(loaded);
        Assert.Equal(3, loaded.Clusters.K);
        Assert.Equal(File.ReadAllBytes(Path.Combine(version.Directory + ".elsewhere", ModelArtifacts.ClusterModelFile)), File.ReadAllBytes(Path.Combine(copy, ModelArtifacts.ClusterModelFile)));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task AnActivationAndARollbackOnOneInstanceAreServedByAnotherAtItsNextPoll(string provider)
    {
        using var database = new TestDatabase(provider);
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        var a = new TestModels(database, dirA.Path);
        var first = await a.CreateVersionAsync(3);
        var second = await a.CreateVersionAsync(5, seed: 2);
        await a.Registry.ActivateAsync(first.Id);
        var b = new TestModels(database, dirB.Path);
        var before = await b.Active.GetAsync();
        Assert.Equal(first.Id, before!.VersionId);

        await a.Registry.ActivateAsync(second.Id);
        await b.Active.RefreshAsync();

        Assert.Equal(second.Id, b.Active.Current!.VersionId);
        Assert.Equal(5, b.Active.Current.Clusters.K);
        Assert.Equal(3, before.Clusters.K); // a request that took the old model still has it, whole

        await a.Registry.RollbackAsync();
        await b.Active.RefreshAsync();

        Assert.Equal(first.Id, b.Active.Current!.VersionId);
        Assert.Equal(3, b.Active.Loads);
    }

    [Fact]
    public async Task AVersionRegisteredBeforeItsFilesWereKeptInTheDatabaseIsStoredWhenLoaded()
    {
        using var database = new TestDatabase();
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        var a = new TestModels(database, dirA.Path);
        var version = await a.CreateVersionAsync(3);
        await a.Registry.ActivateAsync(version.Id);
        await using (var db = database.CreateDbContext())
        {
            await db.ModelVersionFiles.ExecuteDeleteAsync(); // as an older Recs left it
        }

        var restartedA = new TestModels(database, dirA.Path);
        Assert.Equal(version.Id, (await restartedA.Active.GetAsync())!.VersionId);
        var b = new TestModels(database, dirB.Path);

        // B runs elsewhere: it can load the version only from the database.
        AsIfOnAnotherMachine(version.Directory);
        var loaded = await b.Active.GetAsync();

        Assert.Equal(version.Id, loaded!.VersionId);
    }

    [Fact]
    public async Task WhereTheTrainersDirectoryIsReadableItIsUsedAsItIsAndNotCopied()
    {
        using var database = new TestDatabase();
        using var dirs = new TempDirectory();
        var (version, other) = await TrainedAndActiveElsewhereAsync(database, dirs.Path);

        var loaded = await other.Active.GetAsync();

        Assert.Equal(version.Directory, loaded!.Version.Directory);
        Assert.False(Directory.Exists(other.Files.LocalDirectory(version.Id)));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task WhenTheTrainersDirectoryIsRemovedWhileItIsLoadedTheInstanceLoadsItsOwnCopy(string provider)
    {
        // The `train` verb with a temporary data directory: its directory matches the database when another instance
        // checks it, and is gone by the time that instance reads it (seen as a 30 s outage in TwoInstancesTests).
        using var database = new TestDatabase(provider);
        using var dirs = new TempDirectory();
        var (version, other) = await TrainedAndActiveElsewhereAsync(database, dirs.Path);
        var reads = new List<string>();
        other.Active.Loader = (v, logger) =>
        {
            reads.Add(v.Directory);
            if (v.Directory == version.Directory)
            {
                Directory.Delete(version.Directory, recursive: true);
            }

            return RecsModel.Load(v, logger);
        };

        var loaded = await other.Active.GetAsync();

        Assert.Null(other.Active.LoadError);
        Assert.NotNull(loaded);
        Assert.Equal([version.Directory, other.Files.LocalDirectory(version.Id)], reads);
        Assert.Equal(other.Files.LocalDirectory(version.Id), loaded.Version.Directory);
        Assert.Equal(3, loaded.Clusters.K);
    }

    [Fact]
    public async Task WhenTheTrainersDirectoryChangesWhileItIsLoadedTheLoadIsDoneAgainFromTheInstancesOwnCopy()
    {
        using var database = new TestDatabase();
        using var dirs = new TempDirectory();
        var (version, other) = await TrainedAndActiveElsewhereAsync(database, dirs.Path);
        var reads = new List<string>();
        other.Active.Loader = (v, logger) =>
        {
            var model = RecsModel.Load(v, logger);
            reads.Add(v.Directory);
            if (v.Directory == version.Directory)
            {
                // Read, then overwritten (another trainer reusing the folder): what was read is no longer the version.
                File.WriteAllText(Path.Combine(version.Directory, ModelArtifacts.ClusterModelFile), "{}");
            }

            return model;
        };

        var loaded = await other.Active.GetAsync();

        Assert.Equal([version.Directory, other.Files.LocalDirectory(version.Id)], reads);
        Assert.Equal(other.Files.LocalDirectory(version.Id), loaded!.Version.Directory);
    }

    [Fact]
    public async Task FiftyConcurrentFirstRequestsWaitForOneLoad()
    {
        using var database = new TestDatabase();
        using var dir = new TempDirectory();
        var trainer = new TestModels(database, dir.Path);
        var version = await trainer.CreateVersionAsync(4);
        await trainer.Registry.ActivateAsync(version.Id);
        var restarted = new TestModels(database, dir.Path);
        Assert.True(restarted.Active.IsStarting);

        var models = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => restarted.Active.GetAsync())));

        Assert.All(models, m => Assert.Same(models[0], m));
        Assert.Equal(version.Id, models[0]!.VersionId);
        Assert.Equal(1, restarted.Active.Loads);
        Assert.False(restarted.Active.IsStarting);
    }

    [Fact]
    public async Task WithNoActiveVersionTheFirstLookEndsTheStartAndFindsNone()
    {
        using var database = new TestDatabase();
        using var dir = new TempDirectory();
        var models = new TestModels(database, dir.Path);

        Assert.Null(await models.Active.GetAsync());

        Assert.False(models.Active.IsStarting);
        Assert.Null(models.Active.LoadError);
        Assert.Equal(0, models.Active.Loads);
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task AnInstanceRegisteringAnIdAnotherInstanceHasTakenGetsTheNextIdAndLeavesTheOtherVersionAsItWas(string provider)
    {
        using var database = new TestDatabase(provider);
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        var a = new TestModels(database, dirA.Path);
        var b = new TestModels(database, dirB.Path);
        const string id = "20261207-150000-k3"; // both trained in the same second with the same k
        var first = await RegisterTrainedAsync(a, id, k: 3, seed: 1);
        var firstFiles = await StoredFilesAsync(database, id);

        var second = await RegisterTrainedAsync(b, id, k: 4, seed: 2);

        Assert.Equal(id, first.Id);
        Assert.Equal(id + "-2", second.Id);
        Assert.Equal(firstFiles, await StoredFilesAsync(database, id)); // not overwritten
        Assert.Equal([id, id + "-2"], (await a.Registry.ListAsync()).Select(v => v.Id).Order());
        Assert.Equal(id + "-2", ModelVersionOf(second.MetricsJson));
        Assert.Equal(id + "-2", ModelVersionOf(File.ReadAllText(Path.Combine(second.Directory, ModelArtifacts.MetricsFile))));
        Assert.Equal(id, ModelVersionOf((await a.Registry.FindAsync(id))!.MetricsJson));

        // Each id loads its own model, also on an instance that has neither directory.
        AsIfOnAnotherMachine(first.Directory);
        AsIfOnAnotherMachine(second.Directory);
        using var dirC = new TempDirectory();
        var c = new TestModels(database, dirC.Path);
        Assert.Equal(3, (await c.Registry.ActivateAsync(id)).Clusters.K);
        Assert.Equal(4, (await c.Registry.ActivateAsync(id + "-2")).Clusters.K);
    }

    [PostgresFact]
    public async Task SixInstancesRegisteringOneIdAtOnceEachGetAVersionOfTheirOwn()
    {
        using var database = new TestDatabase("postgres");
        var dirs = Enumerable.Range(0, 6).Select(_ => new TempDirectory()).ToList();
        try
        {
            const string id = "20261207-150000-k3";
            var instances = dirs.Select(d => new TestModels(database, d.Path)).ToList();
            var prepared = instances.Select((m, i) => (Models: m, Version: WriteTrained(m, id, k: 2 + i, seed: i))).ToList();

            var registered = await Task.WhenAll(prepared.Select(p => Task.Run(() => p.Models.Registry.RegisterAsync(p.Version))));

            Assert.Equal(6, registered.Select(v => v.Id).Distinct().Count());
            Assert.Equal([id, .. Enumerable.Range(2, 5).Select(n => $"{id}-{n}")], registered.Select(v => v.Id).Order(StringComparer.Ordinal));
            foreach (var version in registered)
            {
                // Every stored version holds the files of the directory that registered it.
                Assert.Equal(
                    ModelFileStore.ReadDirectory(version.Id, version.Directory).Select(f => (f.Name, f.Sha256)).Order(),
                    await StoredFilesAsync(database, version.Id));
            }
        }
        finally
        {
            dirs.ForEach(d => d.Dispose());
        }
    }

    /// <summary>A trained version's directory (cluster model and a metrics file naming its id), as training leaves it before registering.</summary>
    private static ModelVersion WriteTrained(TestModels models, string id, int k, int seed)
    {
        var directory = Path.Combine(models.Options.Value.ModelsDirectory, id);
        var artifacts = new ModelArtifacts(directory);
        artifacts.SaveClusters(ClusterModelTrainer.TrainWithLookup(SyntheticFeatures.Entries(SyntheticFeatures.Blobs(60, seed)), new ClusteringOptions { K = k, Seed = seed }));
        var metrics = $$"""{ "model_version": "{{id}}", "k": {{k}} }""";
        artifacts.SaveMetrics(metrics);
        return new ModelVersion { Id = id, Directory = directory, K = k, Seed = seed, MetricsJson = metrics };
    }

    private static Task<ModelVersion> RegisterTrainedAsync(TestModels models, string id, int k, int seed) =>
        models.Registry.RegisterAsync(WriteTrained(models, id, k, seed));

    private static async Task<List<(string Name, string Sha256)>> StoredFilesAsync(TestDatabase database, string id)
    {
        await using var db = database.CreateDbContext();
        var files = await db.ModelVersionFiles.AsNoTracking().Where(f => f.VersionId == id).Select(f => new { f.Name, f.Sha256 }).ToListAsync();
        return files.Select(f => (f.Name, f.Sha256)).Order().ToList();
    }

    private static string? ModelVersionOf(string metricsJson) => JsonNode.Parse(metricsJson)!["model_version"]!.GetValue<string>();

    /// <summary>The trainer's directory is not readable here (another machine's data directory): moved aside.</summary>
    /// <summary>A version trained on one instance (data directory <c>a</c>) and active; the other instance (<c>b</c>) has not loaded it.</summary>
    private static async Task<(ModelVersion Version, TestModels Other)> TrainedAndActiveElsewhereAsync(TestDatabase database, string root)
    {
        var trainer = new TestModels(database, Path.Combine(root, "a"));
        var version = await trainer.CreateVersionAsync(3);
        await trainer.Registry.ActivateAsync(version.Id);
        return (version, new TestModels(database, Path.Combine(root, "b")));
    }

    private static void AsIfOnAnotherMachine(string directory) => Directory.Move(directory, directory + ".elsewhere");
}
