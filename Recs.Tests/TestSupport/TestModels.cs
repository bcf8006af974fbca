using Microsoft.Extensions.Options;
using Recs.Core;
using Recs.Core.Clustering;
using Recs.Core.Models;
using Recs.Core.Persistence;
using Recs.Core.Prediction;
using Recs.Core.Prediction.Serving;
using Microsoft.EntityFrameworkCore;

namespace Recs.Tests.TestSupport;

/// <summary>Model versions trained on small synthetic catalogs, registered in a test database.</summary>
public sealed class TestModels
{
    public TestModels(IDbContextFactory<RecsDbContext> db, string dataDirectory)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new RecsOptions { DataDirectory = dataDirectory });
        Files = new ModelFileStore(db, Options);
        Active = new ActiveModel(db, Files);
        Registry = new ModelRegistry(db, Active, Options, files: Files);
    }

    public IOptions<RecsOptions> Options { get; }
    public ModelFileStore Files { get; }
    public ActiveModel Active { get; }
    public ModelRegistry Registry { get; }

    /// <summary>Trains a k-cluster model on <paramref name="catalog"/> (synthetic blobs by default), saves and registers it.</summary>
    public async Task<ModelVersion> CreateVersionAsync(int k, int seed = 1, IReadOnlyList<CatalogLookupEntry>? catalog = null, string? id = null)
    {
        catalog ??= SyntheticFeatures.Entries(SyntheticFeatures.Blobs(60, seed));
        var (newId, _) = Registry.NewVersion(k);
        id ??= newId + "-" + Guid.NewGuid().ToString("N")[..6];
        var directory = Path.Combine(Options.Value.ModelsDirectory, id);
        new ModelArtifacts(directory).SaveClusters(ClusterModelTrainer.TrainWithLookup(catalog, new ClusteringOptions { K = k, Seed = seed }));
        return await Registry.RegisterAsync(new ModelVersion { Id = id, Directory = directory, K = k, Seed = seed, TrainingTracks = catalog.Count });
    }
}
