using Recs.Core;
using Recs.Core.Prediction;
using Recs.Tests.TestSupport;
using Recs.Core.Prediction.Featurization;
using Recs.Core.Prediction.Training;

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

    [Fact]
    public void TitleAndAlbumWordsCarryTheMeanOfTheArtistsUsingThemWithEachArtistCountedOnce()
    {
        // "lullaby" is used by three quiet artists, one of them with many tracks; "road" only by one artist (an album
        // name), which must not become a sound of its own.
        var examples = new List<TrainingExample>
        {
            Named("l1", "Quiet A", "Lullaby for Anna", "Night", 0.10),
            Named("l2", "Quiet B", "Blue Lullaby", "Night", 0.20),
            Named("l3", "Quiet C", "Sleepy", "Lullabies", 0.90),
            Named("l4", "Quiet C", "Lullaby", "Songs", 0.30),
            Named("l5", "Quiet C", "Lullaby II", "Songs", 0.30),
            Named("l6", "Quiet C", "Lullaby III", "Songs", 0.30),
            Named("r1", "Band", "One", "Abbey Road", 0.80),
            Named("r2", "Band", "Two", "Abbey Road", 0.80),
            Named("r3", "Band", "Three", "Abbey Road", 0.80),
        };
        var stats = FeatureStatisticsBuilder.Build(examples, FeatureStatisticsBuilder.BuildIndex(new TrainingData(examples, []), new()));

        var lullaby = stats.TextTerms["lullaby"];
        Assert.Equal(3, lullaby.Artists);
        Assert.Equal((0.10f + 0.20f + 0.30f) / 3, lullaby.Mean[1], 4); // Quiet C's three tracks count as one artist
        Assert.False(stats.TextTerms.ContainsKey("road"));
        Assert.False(stats.TextTerms.ContainsKey("lullabies")); // one artist only

        var featurizer = new MetadataFeaturizer(stats);
        var x = new float[featurizer.Length];
        featurizer.Featurize(new TrackMetadata { Name = "A New Lullaby", Album = "Abbey Road", Artists = ["Someone New"] }, x);
        var names = featurizer.FeatureNames.ToList();
        Assert.Equal(lullaby.Mean[1], x[names.IndexOf("text_energy")], 4);
        Assert.True(x[names.IndexOf("text_weight")] > 0);

        // A word counts once however often the title and album repeat it.
        var once = x[names.IndexOf("text_weight")];
        featurizer.Featurize(new TrackMetadata { Name = "Lullaby (Lullaby Remix)", Album = "LULLABY", Artists = ["Someone New"] }, x);
        Assert.Equal(once, x[names.IndexOf("text_weight")], 5);

        featurizer.Featurize(new TrackMetadata { Name = "Untitled", Artists = ["Someone New"] }, x);
        Assert.True(float.IsNaN(x[names.IndexOf("text_energy")]));
        Assert.Equal(0, x[names.IndexOf("text_weight")]);
    }

    private static TrainingExample Named(string id, string artist, string title, string album, double energy) => new(
        new TrackMetadata { Id = id, Name = title, Album = album, Artists = [artist] },
        new AudioFeatures(120, energy, 0.5, 0.5, -8),
        ["pop"]);
}
