using Recs.Core;
using Recs.Core.Clustering;
using Recs.Core.Prediction.Serving;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.Clustering;

public sealed class ClusterModelTests
{
    private static readonly ClusteringOptions Four = new() { K = 4, Seed = 7 };

    [Fact]
    public void TheSameDataAndSeedGiveTheSameCentroidsAndNames()
    {
        var data = SyntheticFeatures.Blobs(300);

        var a = ClusterModelTrainer.Train(data, Four);
        var b = ClusterModelTrainer.Train(data, Four);

        Assert.Equal(a.Centroids, b.Centroids);
        Assert.Equal(a.Names, b.Names);
        Assert.Equal(a.Scaler.Means, b.Scaler.Means);
    }

    [Fact]
    public void KMeansRecoversWellSeparatedGroups()
    {
        var data = SyntheticFeatures.Blobs(300);

        var model = ClusterModelTrainer.Train(data, Four);

        Assert.Equal(4, model.K);
        foreach (var center in SyntheticFeatures.Centers)
        {
            var nearest = model.Centroids.MinBy(c => Math.Abs(c.Tempo - center.Tempo) / 10 + Math.Abs(c.Energy - center.Energy))!;
            Assert.InRange(nearest.Tempo, center.Tempo - 3, center.Tempo + 3);
            Assert.InRange(nearest.Energy, center.Energy - 0.05, center.Energy + 0.05);
            Assert.InRange(nearest.Loudness, center.Loudness - 1, center.Loudness + 1);
        }

        // Every synthetic group lands in one cluster of its own.
        var clusters = model.Assign(data);
        var perGroup = Enumerable.Range(0, 4).Select(g => clusters.Where((_, i) => i % 4 == g).Distinct().Single()).ToList();
        Assert.Equal(4, perGroup.Distinct().Count());
    }

    [Fact]
    public void NamesDescribeTheCentroidsAndAreUnique()
    {
        var model = ClusterModelTrainer.Train(SyntheticFeatures.Blobs(300), Four);

        Assert.Equal(model.K, model.Names.Distinct().Count());
        var slowQuiet = model.Assign(SyntheticFeatures.Centers[0]);
        var fastLoud = model.Assign(SyntheticFeatures.Centers[1]);
        string[] lowWords = ["slow", "calm", "quiet", "sad"];
        string[] highWords = ["fast", "energetic", "loud"];
        Assert.Contains(model.Names[slowQuiet].Split(ClusterNamer.Separator), w => lowWords.Contains(w));
        Assert.DoesNotContain(model.Names[slowQuiet].Split(ClusterNamer.Separator), w => highWords.Contains(w));
        Assert.Contains(model.Names[fastLoud].Split(ClusterNamer.Separator), w => highWords.Contains(w));
        Assert.DoesNotContain(model.Names[fastLoud].Split(ClusterNamer.Separator), w => lowWords.Contains(w));
    }

    [Fact]
    public void AssignPicksTheNearestCentroidLikeABruteForceSearch()
    {
        var model = ClusterModelTrainer.Train(SyntheticFeatures.Blobs(200), Four);
        var random = new Random(3);
        for (var n = 0; n < 2000; n++)
        {
            var f = new AudioFeatures(random.Next(0, 220), random.NextDouble(), random.NextDouble(), random.NextDouble(), -40 + random.NextDouble() * 42);

            // Brute force in native units, scaled by hand with the model's own means and deviations.
            var scaled = Enumerable.Range(0, 5).Select(i => i == 0 && f.Tempo == 0 ? 0 : (f[i] - model.Scaler.Means[i]) / model.Scaler.StdDevs[i]).ToArray();
            var expected = Enumerable.Range(0, model.K)
                .OrderBy(c => Enumerable.Range(0, 5).Sum(i => Math.Pow(scaled[i] - model.ScaledCentroid(c)[i], 2)))
                .First();

            Assert.Equal(expected, model.Assign(f));
        }
    }

    [Fact]
    public void BatchAssignmentGivesTheSameClustersAsOneByOne()
    {
        var model = ClusterModelTrainer.Train(SyntheticFeatures.Blobs(200), Four);
        var batch = SyntheticFeatures.Blobs(50, seed: 9).ToArray();

        var fromList = model.Assign(batch);
        var fromSpan = new int[batch.Length];
        model.Assign(batch.AsSpan(), fromSpan);

        Assert.Equal(batch.Select(model.Assign), fromList);
        Assert.Equal(fromList, fromSpan);
    }

    [Fact]
    public void AnUnknownTempoIsLeftOutOfTheScalerAndAssignedAsTheMeanTempo()
    {
        var data = SyntheticFeatures.Blobs(200);
        var withZeros = data.Concat(Enumerable.Repeat(new AudioFeatures(0, 0.5, 0.5, 0.5, -10), 100)).ToList();

        var model = ClusterModelTrainer.Train(withZeros, Four);

        Assert.Equal(data.Average(f => f.Tempo), model.Scaler.Means[0], 9);
        Assert.Equal(100, model.Info.TempoUnknownRows);
        Assert.Equal(data.Count, model.Info.TrainingRows);
        var unknown = new AudioFeatures(0, 0.9, 0.5, 0.3, -4);
        Assert.Equal(model.Assign(unknown with { Tempo = model.Scaler.Means[0] }), model.Assign(unknown));
        Assert.Equal(0, model.Scale(unknown)[0]);
    }

    [Fact]
    public void SavingAndLoadingKeepsTheModelAndTheCatalogLookup()
    {
        using var dir = new TempDirectory();
        var data = SyntheticFeatures.Blobs(100);
        data[5] = data[5] with { Tempo = 0 };
        var trained = ClusterModelTrainer.TrainWithLookup(SyntheticFeatures.Entries(data), Four);

        var files = new ModelArtifacts(dir.Path);
        files.SaveClusters(trained);
        var (model, lookup, predictor) = files.Load();

        Assert.Equal(trained.Model.Names, model.Names);
        Assert.Equal(trained.Model.Centroids, model.Centroids);
        Assert.Equal(trained.Model.Info, model.Info);
        Assert.Equal(trained.Model.Assign(data), model.Assign(data));
        Assert.Equal(data.Count, lookup.Count);
        for (var i = 0; i < data.Count; i++)
        {
            Assert.True(lookup.TryGet(SyntheticFeatures.Id(i), out var cluster, out var features));
            Assert.Equal(model.Assign(data[i]), cluster);
            Assert.Equal(data[i], features);
            Assert.True(lookup.TryGetIndex(SyntheticFeatures.Id(i), out var index));
            Assert.Equal((float)model.Scale(data[i])[2], lookup.Scaled(index)[2]);
        }

        Assert.True(lookup.TryGetByArtistTitle("artist 3", "title 3", out var byName));
        Assert.Equal(SyntheticFeatures.Id(3), lookup.Ids[byName]);
        Assert.False(lookup.TryGet("nope", out _, out _));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        Assert.Null(predictor); // a directory with the cluster files only clusters from the catalog
    }

    [Fact]
    public void LoadingAMissingOrBrokenModelNamesTheFile()
    {
        using var dir = new TempDirectory();

        var files = new ModelArtifacts(dir.Path);

        var missing = Assert.Throws<InvalidDataException>(files.Load);
        File.WriteAllText(dir.File("cluster_model.json"), "{ not json");
        var broken = Assert.Throws<InvalidDataException>(files.Load);
        File.WriteAllText(dir.File("catalog_lookup.bin"), "RCLK");
        var truncated = Assert.Throws<InvalidDataException>(() => CatalogClusterLookup.Load(files.PathOf(ModelArtifacts.CatalogLookupFile)));

        Assert.Contains("cluster_model.json", missing.Message);
        Assert.Contains("cluster_model.json", broken.Message);
        Assert.Contains("catalog_lookup.bin", truncated.Message);
    }

    [Fact]
    public void NamerKeepsNamesUniqueWhenTheTopThreeFeaturesAgree()
    {
        // Same three dominant features, different fourth one.
        double[] a = [2.0, 1.5, 1.2, 0.6, 0.0];
        double[] b = [2.0, 1.5, 1.2, -0.6, 0.0];
        double[] c = [2.0, 1.5, 1.2, -0.6, 0.0];

        var names = ClusterNamer.Name([a, b, c]);

        Assert.Equal("fast · energetic · danceable", ClusterNamer.Name([a])[0]);
        Assert.Equal(3, names.Distinct().Count());
        Assert.Contains("happy", names[0]);
        Assert.Contains("sad", names[1]);
    }
}
