using Recs.Core;
using Recs.Core.Clustering;
using Recs.Tests.TestSupport;
using Xunit.Abstractions;

namespace Recs.Tests.Core.Clustering;

/// <summary>
/// Cluster names never contradict the numbers beside them (issue 13.11), checked on models actually trained over many
/// synthetic catalogs, seeds and k, and on the real catalog when ../shared/data is present.
/// </summary>
public sealed class ClusterNamePropertyTests(ITestOutputHelper output)
{
    private const string RealCatalog = "catalog/kaggle_tracks_subset.csv";

    [Fact]
    public void NamesAgreeWithTheCentroidsInEveryTrainedModel()
    {
        var models = 0;
        for (var catalogSeed = 1; catalogSeed <= 6; catalogSeed++)
        {
            var catalog = RandomCatalog(catalogSeed, tracks: 1_200);
            foreach (var k in new[] { 2, 3, 5, 7, 9, 12 })
            {
                var model = ClusterModelTrainer.Train(catalog, new ClusteringOptions { K = k, Seed = 100 + catalogSeed * 13 + k, MaxIterations = 50 });
                AssertNamesAgreeWithCentroids(model, $"catalog {catalogSeed}, k {k}");
                models++;
            }
        }

        Assert.Equal(36, models);
    }

    [SharedDataFact(RealCatalog)]
    public void NamesAgreeWithTheCentroidsOnTheRealCatalog()
    {
        var features = KaggleFeaturesReader.Read(SharedData.File(RealCatalog)!).Select(e => e.Features).ToList();
        foreach (var (k, seed) in new[] { (ClusteringOptions.DefaultK, ClusteringOptions.DefaultSeed), (6, 7), (12, 3) })
        {
            var model = ClusterModelTrainer.Train(features, new ClusteringOptions { K = k, Seed = seed });
            AssertNamesAgreeWithCentroids(model, $"real catalog, k {k}, seed {seed}");
            output.WriteLine($"k {k}: " + string.Join("; ", model.Names.Select((n, i) => $"{n} ({model.Centroids[i].Tempo:0} BPM, energy {model.Centroids[i].Energy:0.00})")));
        }
    }

    [Fact]
    public void AFeatureEveryClusterShares_IsNotWhatNamesThem()
    {
        // Three clusters all well above the catalog's tempo (z 1.2) that differ in energy, mood and loudness: "fast"
        // does not tell them apart, so it is not in their names; what differs is.
        double[] calm = [1.2, -0.9, 0.1, -0.8, -0.7];
        double[] middle = [1.25, 0.0, 0.1, 0.0, 0.0];
        double[] loud = [1.15, 0.9, 0.1, 0.8, 0.7];

        var names = ClusterNamer.Name([calm, middle, loud]);

        Assert.All(names, n => Assert.DoesNotContain("fast", n));
        Assert.Equal("calm · sad · quiet", names[0]);
        Assert.Equal("energetic · happy · loud", names[2]);
        Assert.Equal(3, names.Distinct().Count());
    }

    [Fact]
    public void ASlightlyFasterClusterIsNotCalledFastBesideAMuchFasterOne()
    {
        // Both above the catalog mean, but the first is far slower than the second: it must not share the "fast" word.
        double[] a = [0.3, -1.0, 0.0, -1.0, 0.0];
        double[] b = [1.8, 0.0, 0.0, 0.0, 0.0];
        double[] c = [-1.5, 1.0, 0.0, 1.0, 0.0];

        var names = ClusterNamer.Name([a, b, c]);

        Assert.StartsWith("fast", names[1]);
        Assert.DoesNotContain("fast", names[0]);
        Assert.StartsWith("slow", names[2]);
    }

    /// <summary>
    /// For every feature, every cluster named with the "high" word has a higher centroid (native units) than every one
    /// named with the "mid" word, which has a higher one than every "low"; the words are the features that set the
    /// cluster most apart from the others; names are unique and read as words.
    /// </summary>
    private static void AssertNamesAgreeWithCentroids(ClusterModel model, string what)
    {
        Assert.True(model.Names.Distinct().Count() == model.K, $"{what}: names are not unique: {string.Join("; ", model.Names)}");
        var levels = new Dictionary<(int Feature, ClusterNamer.Level Level), List<int>>();
        var scaled = Enumerable.Range(0, model.K).Select(c => model.ScaledCentroid(c).ToArray()).ToList();
        var contrasts = ClusterNamer.Contrasts(scaled);
        for (var c = 0; c < model.K; c++)
        {
            var words = model.Names[c].Split(ClusterNamer.Separator);
            Assert.True(words.Length >= ClusterNamer.BaseWords, $"{what}: '{model.Names[c]}' has fewer than {ClusterNamer.BaseWords} words");
            var parsed = words.Select(w => ClusterNamer.Parse(w.Split(" (")[0])).ToList();
            Assert.True(parsed.All(p => p is not null), $"{what}: '{model.Names[c]}' has a word that is not a feature word");
            var features = parsed.Select(p => p!.Value.Feature).ToList();
            Assert.True(features.Distinct().Count() == features.Count, $"{what}: '{model.Names[c]}' names a feature twice");
            foreach (var (feature, level) in parsed.Select(p => p!.Value))
            {
                (levels.TryGetValue((feature, level), out var list) ? list : levels[(feature, level)] = []).Add(c);
            }

            // The named features are the most distinctive ones: none left out differs more from the other clusters.
            var named = features.Select(f => Math.Abs(contrasts[c][f])).Min();
            var unnamed = Enumerable.Range(0, AudioFeatures.Count).Except(features).Select(f => Math.Abs(contrasts[c][f])).DefaultIfEmpty(0).Max();
            Assert.True(named >= unnamed, $"{what}: '{model.Names[c]}' leaves out a feature that differs more ({unnamed:0.00} > {named:0.00})");
        }

        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            var feature = f;
            double[] Values(ClusterNamer.Level level) =>
                levels.TryGetValue((feature, level), out var cs) ? cs.Select(c => model.Centroids[c][feature]).ToArray() : [];
            var (low, mid, high) = (Values(ClusterNamer.Level.Low), Values(ClusterNamer.Level.Mid), Values(ClusterNamer.Level.High));
            AssertBelow(low, mid, "low", "mid");
            AssertBelow(mid, high, "mid", "high");
            AssertBelow(low, high, "low", "high");

            void AssertBelow(double[] lower, double[] upper, string lowerName, string upperName)
            {
                if (lower.Length > 0 && upper.Length > 0)
                {
                    Assert.True(lower.Max() < upper.Min(),
                        $"{what}: {AudioFeatures.Names[feature]}: a cluster named '{ClusterNamer.Word(feature, Enum.Parse<ClusterNamer.Level>(lowerName, true))}' ({lower.Max():0.###}) " +
                        $"is not below one named '{ClusterNamer.Word(feature, Enum.Parse<ClusterNamer.Level>(upperName, true))}' ({upper.Min():0.###}): {string.Join("; ", model.Names)}");
                }
            }
        }
    }

    /// <summary>A catalog of a random number of random blobs of varied spread (native units), so k rarely matches the structure.</summary>
    private static List<AudioFeatures> RandomCatalog(int seed, int tracks)
    {
        var random = new Random(seed);
        var blobs = Enumerable.Range(0, random.Next(2, 9))
            .Select(_ => (Center: new AudioFeatures(60 + random.NextDouble() * 120, random.NextDouble(), random.NextDouble(), random.NextDouble(), -30 + random.NextDouble() * 28),
                Spread: 0.3 + random.NextDouble()))
            .ToArray();
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Enumerable.Range(0, tracks).Select(_ =>
        {
            var (c, s) = blobs[random.Next(blobs.Length)];
            return new AudioFeatures(
                Math.Clamp(c.Tempo + Gauss() * 15 * s, 40, 220),
                Math.Clamp(c.Energy + Gauss() * 0.12 * s, 0, 1),
                Math.Clamp(c.Danceability + Gauss() * 0.12 * s, 0, 1),
                Math.Clamp(c.Valence + Gauss() * 0.12 * s, 0, 1),
                Math.Clamp(c.Loudness + Gauss() * 3 * s, -45, 1));
        }).ToList();
    }
}
