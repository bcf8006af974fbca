using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Prediction;
using Recs.Tests.TestSupport;
using Recs.Core.Prediction.Featurization;
using Recs.Core.Prediction.Serving;
using Recs.Core.Prediction.Training;

namespace Recs.Tests.Core.Prediction;

public sealed class RecsTrainerTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task ATrainingRunWritesEveryArtifactRegistersTheVersionAndActivatesIt()
    {
        await using (var db = _db.CreateDbContext())
        {
            db.CatalogTracks.AddRange(SyntheticCatalog.Tracks(SyntheticCatalog.Examples(150)));
            db.Artists.Add(new Artist { NameKey = "artist 1", Name = "Artist 1", Genres = "metal", TableEnergy = 0.9, TableTempo = 150, TableDanceability = 0.3, TableValence = 0.2, TableLoudness = -5, TableTrackCount = 12, Source = ArtistSources.ArtistTable });
            await db.SaveChangesAsync();
        }

        var models = new TestModels(_db, _dir.Path);
        var trainer = new RecsTrainer(_db, models.Registry, NullLogger<RecsTrainer>.Instance, TimeProvider.System);
        var progress = new List<TrainingProgress>();
        var output = _dir.File("out");

        var result = await trainer.TrainAsync(new RecsTrainingRequest { OutputDirectory = output, K = 4, RandomSplit = false }, new SynchronousProgress<TrainingProgress>(progress.Add));

        foreach (var name in AudioFeatures.Names)
        {
            Assert.True(new FileInfo(Path.Combine(output, $"metadata_model_{name}.zip")).Length > 0, name);
        }

        var names = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(output, "metadata_feature_names.json")))!;
        Assert.Contains("catalog_artist_energy", names);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metadata_model_metrics.json")));
        foreach (var name in AudioFeatures.Names)
        {
            Assert.Equal(JsonValueKind.Number, metrics.RootElement.GetProperty(name).GetProperty("mae").ValueKind);
            Assert.Equal(JsonValueKind.Number, metrics.RootElement.GetProperty(name).GetProperty("r2").ValueKind);
        }

        Assert.True(metrics.RootElement.GetProperty("baselines").GetProperty("artist_mean").TryGetProperty("energy", out _));
        Assert.True(metrics.RootElement.GetProperty("cluster_agreement").GetDouble() > 0);
        Assert.True(metrics.RootElement.GetProperty("artist_grouped").GetProperty("profiles").TryGetProperty("development", out _));
        Assert.True(File.Exists(Path.Combine(output, "cluster_model.json")));
        Assert.True(File.Exists(Path.Combine(output, "catalog_lookup.bin")));
        Assert.True(File.Exists(Path.Combine(output, "metadata_featurizer.json")));
        Assert.All(ModelArtifacts.AllFiles, file => Assert.True(File.Exists(Path.Combine(output, file)), file));
        Assert.Empty(Directory.GetDirectories(_dir.Path, ".tmp-*"));

        var active = await models.Active.GetAsync();
        Assert.NotNull(active);
        Assert.Equal(result.ModelVersion, active.VersionId);
        Assert.Equal(output, active.Version.Directory);
        var predictor = Assert.IsType<MetadataPredictor>(active.Predictor);
        Assert.Equal(names, predictor.Featurizer.FeatureNames);
        Assert.Equal(ConfidenceTier.ArtistKnown, predictor.Predict(new TrackMetadata { Name = "x", Artists = ["Artist 1"] }).Tier);
        Assert.Contains(progress, p => p.Stage == "done" && p.Fraction == 1);
    }

    [Fact]
    public async Task TrainingAnEmptyCatalogFailsWithAClearMessageAndRegistersNothing()
    {
        var models = new TestModels(_db, _dir.Path);
        var trainer = new RecsTrainer(_db, models.Registry, NullLogger<RecsTrainer>.Instance, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => trainer.TrainAsync(new RecsTrainingRequest()));

        Assert.Contains("catalog is empty", ex.Message);
        Assert.Empty(await models.Registry.ListAsync());
    }

    [Fact]
    public async Task ACancelledTrainingLeavesNoVersionAndNoDirectory()
    {
        await using (var db = _db.CreateDbContext())
        {
            db.CatalogTracks.AddRange(SyntheticCatalog.Tracks(SyntheticCatalog.Examples(60)));
            await db.SaveChangesAsync();
        }

        var models = new TestModels(_db, _dir.Path);
        var trainer = new RecsTrainer(_db, models.Registry, NullLogger<RecsTrainer>.Instance, TimeProvider.System);
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Stage == "train")
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trainer.TrainAsync(new RecsTrainingRequest { OutputDirectory = _dir.File("out"), K = 3 }, progress, cts.Token));

        Assert.False(Directory.Exists(_dir.File("out")));
        Assert.Empty(await models.Registry.ListAsync());
    }
}
