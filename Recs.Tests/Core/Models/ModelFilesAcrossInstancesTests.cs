using Microsoft.EntityFrameworkCore;
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
        using var dir = new TempDirectory();
        var trainer = new TestModels(database, dir.Path);
        var version = await trainer.CreateVersionAsync(3);
        await trainer.Registry.ActivateAsync(version.Id);
        using var otherDir = new TempDirectory();
        var other = new TestModels(database, otherDir.Path);

        var loaded = await other.Active.GetAsync();

        Assert.Equal(version.Directory, loaded!.Version.Directory);
        Assert.False(Directory.Exists(other.Files.LocalDirectory(version.Id)));
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

    /// <summary>The trainer's directory is not readable here (another machine's data directory): moved aside.</summary>
    private static void AsIfOnAnotherMachine(string directory) => Directory.Move(directory, directory + ".elsewhere");
}
