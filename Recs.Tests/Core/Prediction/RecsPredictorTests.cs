using Microsoft.Extensions.Logging.Abstractions;
using Recs.Core;
using Recs.Core.Prediction;
using Recs.Tests.TestSupport;
using Recs.Core.Prediction.Serving;
using Recs.Core.Prediction.Training;

namespace Recs.Tests.Core.Prediction;

public sealed class RecsPredictorTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task TheLibraryApiLoadsAVersionDirectoryPredictsClustersAndFindsSimilarTracks()
    {
        var examples = SyntheticCatalog.Examples(120);
        await using (var db = _db.CreateDbContext())
        {
            db.CatalogTracks.AddRange(SyntheticCatalog.Tracks(examples));
            await db.SaveChangesAsync();
        }

        var models = new TestModels(_db, _dir.Path);
        var trainer = new RecsTrainer(_db, models.Registry, NullLogger<RecsTrainer>.Instance, TimeProvider.System);
        await trainer.TrainAsync(new RecsTrainingRequest { OutputDirectory = _dir.File("v1"), K = 4, RandomSplit = false, Metadata = SyntheticCatalog.FastOptions });

        var recs = RecsPredictor.Load(_dir.File("v1"));
        var prediction = recs.Predict(new TrackMetadata { Name = "Brand new", Artists = ["Unknown Band"], Genres = ["metal"], Popularity = 50 });
        var cluster = recs.PredictCluster(prediction.Features);
        var known = examples[5];
        var similar = recs.SimilarTracks(known.Features, 5);
        var similarWithoutItself = recs.SimilarTracks(known.Features, 5, known.Metadata.Id);

        Assert.Equal(ConfidenceTier.GenresOnly, prediction.Tier);
        Assert.InRange(cluster, 0, recs.Clusters.K - 1);
        Assert.False(string.IsNullOrEmpty(recs.ClusterName(cluster)));
        Assert.Equal(5, similar.Count);
        Assert.Equal(known.Metadata.Id, similar[0].Id); // a catalog track is nearest to itself
        Assert.Equal(0, similar[0].Distance, 6);
        Assert.True(similar.Zip(similar.Skip(1)).All(p => p.First.Distance <= p.Second.Distance));
        Assert.DoesNotContain(similarWithoutItself, s => s.Id == known.Metadata.Id);
        Assert.Throws<InvalidDataException>(() => RecsPredictor.Load(_dir.Path));
    }
}
