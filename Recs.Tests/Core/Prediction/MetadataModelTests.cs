using Microsoft.ML;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Clustering;
using Recs.Core.Prediction;
using Recs.Tests.TestSupport;
using Recs.Core.Prediction.Featurization;
using Recs.Core.Prediction.Serving;
using Recs.Core.Prediction.Training;

namespace Recs.Tests.Core.Prediction;

/// <summary>
/// The metadata model on synthetic catalogs with a known relationship: trained once per test class (a few seconds),
/// evaluated on an artist-grouped split.
/// </summary>
public sealed class MetadataModelTests : IClassFixture<MetadataModelTests.Fixture>
{
    private readonly Fixture _fixture;

    public MetadataModelTests(Fixture fixture) => _fixture = fixture;

    public sealed class Fixture
    {
        public Fixture()
        {
            Examples = SyntheticCatalog.Examples(500);
            (Train, Test) = MetadataEvaluation.GroupedSplit(Examples, 0.2, 3);
            Clusters = ClusterModelTrainer.Train(Examples.Select(e => e.Features).ToList(), new ClusteringOptions { K = 4, Seed = 1 });
            (Report, _) = MetadataEvaluation.EvaluateSplit("artist_grouped", Train, Test, [], SyntheticCatalog.FastOptions, Clusters.Assign);
            Models = MetadataModelTrainer.Train(new TrainingData(Examples, []), SyntheticCatalog.FastOptions);
            Predictor = new MetadataPredictor(new MLContext(1), Models.Featurizer, Models.Models);
        }

        public List<TrainingExample> Examples { get; }
        public List<TrainingExample> Train { get; }
        public List<TrainingExample> Test { get; }
        public ClusterModel Clusters { get; }
        public SplitReport Report { get; }
        public MetadataModels Models { get; }
        public MetadataPredictor Predictor { get; }
    }

    [Fact]
    public void TheModelRecoversAKnownRelationshipForArtistsItHasNeverSeen()
    {
        var full = _fixture.Report.Profiles[InputProfiles.Full];

        Assert.True(full.Features["energy"].R2 > 0.6, $"energy R² {full.Features["energy"].R2}");
        Assert.True(full.Features["loudness"].R2 > 0.6, $"loudness R² {full.Features["loudness"].R2}");
        Assert.True(full.Features["danceability"].R2 > 0.5, $"danceability R² {full.Features["danceability"].R2}");
        // Beats the global mean by far and does at least as well as the genre mean it starts from.
        Assert.True(full.Features["energy"].Mae < full.Baselines["global_mean"]["energy"].Mae * 0.7);
        Assert.True(full.Features["energy"].R2 >= full.Baselines["genre_mean"]["energy"].R2 - 0.02);
        Assert.True(full.ClusterAgreement > full.MajorityClusterRate, $"agreement {full.ClusterAgreement} vs majority {full.MajorityClusterRate}");
    }

    [Fact]
    public void WithoutPopularityAndGenresTheModelStillPredictsWithLowerButSaneQuality()
    {
        var full = _fixture.Report.Profiles[InputProfiles.Full];
        var development = _fixture.Report.Profiles[InputProfiles.Development];

        Assert.Equal(full.Tracks, development.Tracks);
        // Unseen artists without genres: only popularity-free metadata is left, so energy loses most of its signal …
        Assert.True(development.Features["energy"].R2 < full.Features["energy"].R2);
        // … but the predictions stay sane: no worse than predicting the global mean, and within the feature ranges.
        Assert.True(development.Features["energy"].R2 > -0.05, $"development energy R² {development.Features["energy"].R2}");
        Assert.True(development.Features["energy"].Mae <= development.Baselines["global_mean"]["energy"].Mae * 1.05);
        var predictions = _fixture.Predictor.Predict(_fixture.Test.Select(e => InputProfiles.Apply(e.Metadata, InputProfiles.Development)).ToList());
        Assert.All(predictions, p => Assert.InRange(p.Features.Energy, 0, 1));
        Assert.All(predictions, p => Assert.True(double.IsFinite(p.Features.Tempo) && p.Features.Tempo > 0));
    }

    [Fact]
    public void AnArtistGroupedSplitNeverPutsAnArtistOnBothSides()
    {
        var trainArtists = _fixture.Train.Select(e => TextKeys.Normalize(e.Metadata.PrimaryArtist)).ToHashSet();
        var testArtists = _fixture.Test.Select(e => TextKeys.Normalize(e.Metadata.PrimaryArtist)).ToHashSet();

        Assert.NotEmpty(testArtists);
        Assert.Empty(trainArtists.Intersect(testArtists));
        Assert.Equal(_fixture.Examples.Count, _fixture.Train.Count + _fixture.Test.Count);
        Assert.InRange(_fixture.Test.Count / (double)_fixture.Examples.Count, 0.1, 0.3);
    }

    [Fact]
    public void ATrackGetsTheSamePredictionAloneAndInABatch()
    {
        var batch = _fixture.Test.Take(300).Select(e => e.Metadata).ToList();
        var together = _fixture.Predictor.Predict(batch);

        foreach (var i in new[] { 0, 17, 150, 299 })
        {
            Assert.Equal(together[i], _fixture.Predictor.Predict(batch[i]));
        }

        var reversed = _fixture.Predictor.Predict(batch.AsEnumerable().Reverse().ToList());
        Assert.Equal(together, reversed.Reverse());
    }

    [Fact]
    public void TheSpreadCalibrationMovesOnlyTheFeaturesAClusterIsPickedWith()
    {
        var batch = _fixture.Test.Take(50).Select(e => e.Metadata).ToList();
        var centre = new double[AudioFeatures.Count];
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            centre[f] = _fixture.Models.Featurizer.Statistics.GlobalMean[f];
        }

        var stretched = new MetadataPredictor(new MLContext(1), _fixture.Models.Featurizer, _fixture.Models.Models, new SpreadCalibration(centre, [1, 2, 2, 2, 1]));
        var plain = _fixture.Predictor.Predict(batch);
        var calibrated = stretched.Predict(batch);

        for (var i = 0; i < batch.Count; i++)
        {
            // What is shown (and scored) is the regressors' estimate either way…
            Assert.Equal(plain[i].Features, calibrated[i].Features);
            Assert.Equal(plain[i].Features, plain[i].ForClustering);
        }

        // …while the features a cluster is picked with are twice as far from the centre (where not clamped).
        var energies = calibrated.Select(p => (Shown: p.Features.Energy, Picked: p.ForClustering.Energy)).Where(p => p.Picked is > 0 and < 1).ToList();
        Assert.NotEmpty(energies);
        Assert.All(energies, p => Assert.Equal(centre[1] + (2 * (p.Shown - centre[1])), p.Picked, 6));
    }

    [Fact]
    public void PredictingFromManyThreadsAtOnceGivesTheSameResults()
    {
        var batch = _fixture.Test.Take(200).Select(e => e.Metadata).ToList();
        var expected = _fixture.Predictor.Predict(batch);

        var results = new IReadOnlyList<FeaturePrediction>[8];
        Parallel.For(0, results.Length, i => results[i] = _fixture.Predictor.Predict(batch));

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void TheConfidenceTierSaysWhatThePredictionRestsOn()
    {
        var known = _fixture.Examples[0].Metadata;
        var genresOnly = new TrackMetadata { Name = "New song", Artists = ["Someone Entirely New"], Genres = ["techno"] };
        var unknownArtistKnownByCatalogGenresNot = new TrackMetadata { Name = "New song", Artists = ["Nobody Known"] };

        var predictions = _fixture.Predictor.Predict([known, genresOnly, unknownArtistKnownByCatalogGenresNot]);

        Assert.Equal(ConfidenceTier.ArtistKnown, predictions[0].Tier);
        Assert.Equal(ConfidenceTier.GenresOnly, predictions[1].Tier);
        Assert.Equal(ConfidenceTier.Nothing, predictions[2].Tier);
    }

    [Fact]
    public void FeatureNamesMatchTheVectorLengthAndAreUnique()
    {
        var names = _fixture.Models.Featurizer.FeatureNames;

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("popularity", names);
        Assert.Contains("catalog_artist_energy", names);
        Assert.Contains("neighbour_energy", names);
        Assert.Contains("rule_energy", names);
        Assert.Contains("title_live", names);
        Assert.DoesNotContain(names, n => n.Contains("artist_id", StringComparison.Ordinal));
    }
}
