using Recs.Core;
using Recs.Core.Prediction;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.Prediction;

public sealed class FeatureStatisticsTests
{
    private static TrainingExample Track(string id, string artist, double energy, params string[] genres) => new(
        new TrackMetadata { Id = id, Name = "Song " + id, Artists = [artist], Genres = genres },
        new AudioFeatures(120, energy, 0.5, 0.5, -8),
        genres);

    [Fact]
    public void TrainingRowsSeeTheirArtistsMeanFromOtherTracksOnlyNeverTheirOwnFeatures()
    {
        // Many two-track artists whose tracks have very different energies: with leakage, a row's artist mean
        // would be pulled towards its own energy; out of fold it is exactly the other track's energy (or unknown).
        var examples = new List<TrainingExample>();
        for (var a = 0; a < 200; a++)
        {
            examples.Add(Track($"a{a}-1", $"Artist {a}", 0.1, "pop"));
            examples.Add(Track($"a{a}-2", $"Artist {a}", 0.9, "pop"));
        }

        var data = new TrainingData(examples, []);
        var options = new MetadataTrainingOptions { MaskedCopies = false };
        var index = FeatureStatisticsBuilder.BuildIndex(data, options.Statistics);
        var (rows, labels) = MetadataModelTrainer.BuildTrainingRows(examples, index, options, CancellationToken.None);
        var names = new MetadataFeaturizer(FeatureStatisticsBuilder.Build(examples, index)).FeatureNames.ToList();
        var artistEnergy = names.IndexOf("catalog_artist_energy");
        var ruleEnergy = names.IndexOf("rule_energy");

        var seen = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var value = rows[i][artistEnergy];
            if (float.IsNaN(value))
            {
                continue; // both tracks in the same fold: the artist is unknown to this row, as for a new artist
            }

            seen++;
            var other = labels[i].Energy < 0.5 ? 0.9f : 0.1f;
            Assert.Equal(other, value, 4);
            Assert.Equal(other, rows[i][ruleEnergy], 4);
        }

        Assert.True(seen > 200, $"only {seen} rows had an out-of-fold artist mean");
    }

    [Fact]
    public void GenreNeighboursComeFromArtistsWithSimilarGenresAndNeverFromTheArtistItself()
    {
        var artists = new List<ArtistProfile>
        {
            new("Target", ["swedish death metal", "melodic death metal"], new AudioFeatures(100, 0.5, 0.5, 0.5, -10), 10),
            new("Metal One", ["melodic death metal"], new AudioFeatures(140, 0.95, 0.3, 0.2, -4), 20),
            new("Metal Two", ["swedish death metal", "death metal"], new AudioFeatures(150, 0.97, 0.3, 0.2, -4), 20),
            new("Quiet One", ["ambient", "drone"], new AudioFeatures(70, 0.1, 0.2, 0.1, -25), 20),
        };
        var data = new TrainingData([Track("x", "Other", 0.5, "pop")], artists);
        var index = FeatureStatisticsBuilder.BuildIndex(data, new FeatureStatisticsOptions(Neighbours: 2));
        var stats = FeatureStatisticsBuilder.Build(data.Examples, index);

        var neighbour = stats.Neighbours["target"];
        Assert.InRange(neighbour.Mean[1], 0.94, 0.98); // the two metal artists, not itself (0.5), not ambient (0.1)
    }

    [Fact]
    public void AnUnseenGenreStringStillMapsThroughItsWords()
    {
        var examples = SyntheticCatalog.Examples(100);
        var stats = FeatureStatisticsBuilder.Build(examples, FeatureStatisticsBuilder.BuildIndex(new TrainingData(examples, []), new()));
        var featurizer = new MetadataFeaturizer(stats);
        var x = new float[featurizer.Length];

        var tier = featurizer.Featurize(new TrackMetadata { Name = "x", Artists = ["Unknown"], Genres = ["norwegian black metal"] }, x);

        Assert.Equal(ConfidenceTier.GenresOnly, tier);
        var genreEnergy = x[featurizer.FeatureNames.ToList().IndexOf("genre_energy")];
        Assert.False(float.IsNaN(genreEnergy));
        Assert.Equal(stats.GenreTerms["w:metal"].Mean[1], genreEnergy, 3);
    }

    [Fact]
    public void StatisticsSurviveASaveAndLoadRoundTrip()
    {
        using var dir = new TempDirectory();
        // One artist whose only track has an undetected tempo: its mean tempo is NaN ("no value") and must survive.
        var examples = SyntheticCatalog.Examples(50);
        examples.Add(new TrainingExample(new TrackMetadata { Id = "notempo", Name = "x", Artists = ["No Tempo"] }, new AudioFeatures(0, 0.5, 0.5, 0.5, -9), ["pop"]));
        var stats = FeatureStatisticsBuilder.Build(examples, FeatureStatisticsBuilder.BuildIndex(new TrainingData(examples, []), new()));
        stats.Save(dir.File("s.json"));
        var loaded = FeatureStatistics.Load(dir.File("s.json"));

        var a = new float[new MetadataFeaturizer(stats).Length];
        var b = new float[a.Length];
        var track = examples[3].Metadata;
        new MetadataFeaturizer(stats).Featurize(track, a);
        new MetadataFeaturizer(loaded).Featurize(track, b);
        Assert.Equal(a, b);
        Assert.True(float.IsNaN(loaded.CatalogArtists["no tempo"].Mean[0]));
    }
}
