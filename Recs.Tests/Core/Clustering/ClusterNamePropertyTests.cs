using System.Text.RegularExpressions;
using Recs.Core;
using Recs.Core.Clustering;
using Recs.Tests.TestSupport;
using Xunit.Abstractions;

namespace Recs.Tests.Core.Clustering;

/// <summary>
/// Issue 13.11 from first principles: cluster names agree with the numbers beside them, checked on models actually
/// trained (the real trainer, synthetic catalogs of varied structure, many seeds and k; the real catalog when
/// ../shared/data is present). The expectations are computed here from the catalog and the model's centroids alone,
/// never with the production naming code (<see cref="ClusterNamer"/>'s contrasts and levels): only the vocabulary below
/// was read from it once.
/// <para>
/// What a name must do, for every model with k ≥ 2 and the centroids in native units (BPM, 0–1, dB) that the API gives
/// beside each name:
/// </para>
/// <list type="number">
/// <item><b>Opposite words, opposite order.</b> For every pair of clusters and every feature, a cluster whose word puts
/// it higher (fast over mid-tempo over slow, loud over quiet…) has the higher centroid.</item>
/// <item><b>A word says where the cluster stands among the others.</b> A high word (fast, energetic, danceable, happy,
/// loud) means the centroid is above the mean of the other clusters' centroids; a low word (slow, calm, free-form, sad,
/// quiet) means below.</item>
/// <item><b>The words name what most distinguishes the cluster.</b> The distinctiveness of cluster c on feature f is
/// |x[c,f] − mean of x[·,f] over the other clusters| / s[f], where s[f] is the standard deviation of f over the catalog's
/// tracks (population; tempo over detected tempos only), so a 10 BPM gap and a 0.1 energy gap are compared by how
/// much each feature varies among tracks. A name with n feature words names n features of the highest distinctiveness:
/// no feature left out is more distinctive than a feature named.</item>
/// <item>Names are unique within a model, and every word is a feature word, one per feature.</item>
/// </list>
/// </summary>
public sealed class ClusterNamePropertyTests(ITestOutputHelper output)
{
    private const string RealCatalog = "catalog/kaggle_tracks_subset.csv";

    /// <summary>How a name joins its words (read from the production code once).</summary>
    private const string Separator = " · ";

    /// <summary>Tolerance on distinctiveness ties: centroids come from single-precision k-means.</summary>
    private const double TieTolerance = 1e-6;

    /// <summary>
    /// The words for each feature, in <see cref="AudioFeatures.Names"/> order, with the rank each gives (high 1, mid 0,
    /// low −1): the vocabulary of the production namer, read once and written out here.
    /// </summary>
    private static readonly Dictionary<string, (int Feature, int Rank)> Vocabulary = new(StringComparer.Ordinal)
    {
        ["fast"] = (0, 1), ["mid-tempo"] = (0, 0), ["slow"] = (0, -1),
        ["energetic"] = (1, 1), ["moderate energy"] = (1, 0), ["calm"] = (1, -1),
        ["danceable"] = (2, 1), ["steady groove"] = (2, 0), ["free-form"] = (2, -1),
        ["happy"] = (3, 1), ["bittersweet"] = (3, 0), ["sad"] = (3, -1),
        ["loud"] = (4, 1), ["medium volume"] = (4, 0), ["quiet"] = (4, -1),
    };

    [Fact]
    public void NamesAgreeWithTheCentroidsInEveryTrainedModel()
    {
        var models = 0;
        var words = new Dictionary<int, int>();
        for (var catalogSeed = 1; catalogSeed <= 10; catalogSeed++)
        {
            var catalog = RandomCatalog(catalogSeed, tracks: 900);
            foreach (var k in new[] { 2, 3, 4, 6, 9 })
            {
                var model = ClusterModelTrainer.Train(catalog, new ClusteringOptions { K = k, Seed = 100 + catalogSeed * 13 + k, MaxIterations = 50 });
                foreach (var rank in AssertNamesAgreeWithCentroids(catalog, model, $"catalog {catalogSeed}, k {k}"))
                {
                    words[rank] = words.GetValueOrDefault(rank) + 1;
                }

                models++;
            }
        }

        Assert.Equal(50, models);
        // The models exercise every kind of word, so none of the checks above was vacuous.
        Assert.True(words.GetValueOrDefault(1) > 50 && words.GetValueOrDefault(-1) > 50 && words.GetValueOrDefault(0) > 0,
            $"words by rank: high {words.GetValueOrDefault(1)}, mid {words.GetValueOrDefault(0)}, low {words.GetValueOrDefault(-1)}");
    }

    [SharedDataFact(RealCatalog)]
    public void NamesAgreeWithTheCentroidsOnTheRealCatalog()
    {
        var features = KaggleFeaturesReader.Read(SharedData.File(RealCatalog)!).Select(e => e.Features).ToList();
        foreach (var (k, seed) in new[] { (ClusteringOptions.DefaultK, ClusteringOptions.DefaultSeed), (6, 7), (12, 3) })
        {
            var model = ClusterModelTrainer.Train(features, new ClusteringOptions { K = k, Seed = seed });
            AssertNamesAgreeWithCentroids(features, model, $"real catalog, k {k}, seed {seed}");
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
    /// Checks the properties of the class summary for one trained model of <paramref name="catalog"/>; returns the rank
    /// (1 high, 0 mid, −1 low) of every word it read.
    /// </summary>
    private static List<int> AssertNamesAgreeWithCentroids(IReadOnlyList<AudioFeatures> catalog, ClusterModel model, string what)
    {
        var k = model.K;
        Assert.True(k >= 2, $"{what}: the properties compare clusters, this model has {k}");
        var all = string.Join("; ", model.Names.Select((n, c) => $"'{n}' [{Describe(model.Centroids[c])}]"));
        Assert.True(model.Names.Distinct(StringComparer.Ordinal).Count() == k, $"{what}: names are not unique: {all}");

        // The numbers: native centroids, and the catalog's spread of each feature.
        var x = Enumerable.Range(0, k).Select(c => Enumerable.Range(0, AudioFeatures.Count).Select(f => model.Centroids[c][f]).ToArray()).ToArray();
        var spread = Enumerable.Range(0, AudioFeatures.Count).Select(f => PopulationStdDev(catalog.Where(t => f != 0 || t.Tempo > 0).Select(t => t[f]))).ToArray();

        // The words: feature → rank, for each cluster.
        var ranks = new Dictionary<int, int>[k];
        var read = new List<int>();
        for (var c = 0; c < k; c++)
        {
            ranks[c] = [];
            // A numbered name ("… (2)") is the namer's last resort for clusters that do not differ; the number is not a word.
            var name = Regex.Replace(model.Names[c], @" \(\d+\)$", "");
            foreach (var word in name.Split(Separator))
            {
                Assert.True(Vocabulary.TryGetValue(word, out var meaning), $"{what}: '{model.Names[c]}' has '{word}', which is not a feature word");
                Assert.True(ranks[c].TryAdd(meaning.Feature, meaning.Rank), $"{what}: '{model.Names[c]}' speaks twice about {AudioFeatures.Names[meaning.Feature]}");
                read.Add(meaning.Rank);
            }
        }

        for (var c = 0; c < k; c++)
        {
            var others = Enumerable.Range(0, k).Where(o => o != c).ToArray();
            var distinctiveness = Enumerable.Range(0, AudioFeatures.Count)
                .Select(f => Math.Abs(x[c][f] - others.Average(o => x[o][f])) / spread[f]).ToArray();
            foreach (var (f, rank) in ranks[c])
            {
                var othersMean = others.Average(o => x[o][f]);
                var where = $"{what}: '{model.Names[c]}' at {x[c][f]:0.###} {AudioFeatures.Names[f]}, the other clusters' mean {othersMean:0.###}: {all}";

                // 2. A high word: above the others; a low word: below them.
                Assert.True(rank != 1 || x[c][f] > othersMean, $"{where} (a high word on a cluster that is not above the others)");
                Assert.True(rank != -1 || x[c][f] < othersMean, $"{where} (a low word on a cluster that is not below the others)");

                // 1. Against every other cluster that speaks about the same feature.
                foreach (var o in others.Where(o => ranks[o].TryGetValue(f, out var r) && r < rank))
                {
                    Assert.True(x[c][f] > x[o][f],
                        $"{what}: {AudioFeatures.Names[f]}: '{model.Names[c]}' ({x[c][f]:0.###}) is not above '{model.Names[o]}' ({x[o][f]:0.###}), whose word puts it lower: {all}");
                }
            }

            // 3. The features named are the most distinctive ones.
            var named = ranks[c].Keys.ToArray();
            var unnamed = Enumerable.Range(0, AudioFeatures.Count).Except(named).ToArray();
            if (unnamed.Length > 0)
            {
                var weakestNamed = named.MinBy(f => distinctiveness[f]);
                var strongestLeftOut = unnamed.MaxBy(f => distinctiveness[f]);
                Assert.True(distinctiveness[weakestNamed] >= distinctiveness[strongestLeftOut] - TieTolerance,
                    $"{what}: '{model.Names[c]}' names {AudioFeatures.Names[weakestNamed]} (distinctiveness {distinctiveness[weakestNamed]:0.###}) " +
                    $"but not {AudioFeatures.Names[strongestLeftOut]} ({distinctiveness[strongestLeftOut]:0.###}), which sets it further apart from the other clusters; " +
                    $"its distinctiveness [{string.Join(", ", distinctiveness.Select((d, f) => $"{AudioFeatures.Names[f]} {d:0.###}"))}]: {all}");
            }
        }

        return read;
    }

    private static string Describe(AudioFeatures f) =>
        FormattableString.Invariant($"{f.Tempo:0.#} BPM, energy {f.Energy:0.###}, dance {f.Danceability:0.###}, valence {f.Valence:0.###}, {f.Loudness:0.#} dB");

    private static double PopulationStdDev(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return Math.Sqrt(list.Average(v => (v - mean) * (v - mean)));
    }

    /// <summary>
    /// A catalog of a random number of random blobs of varied spread and size (native units), so k rarely matches the
    /// structure; about one track in 40 has no detected tempo (0), as in real exports.
    /// </summary>
    private static List<AudioFeatures> RandomCatalog(int seed, int tracks)
    {
        var random = new Random(seed);
        var blobs = Enumerable.Range(0, random.Next(2, 9))
            .Select(_ => (Center: new AudioFeatures(60 + random.NextDouble() * 120, random.NextDouble(), random.NextDouble(), random.NextDouble(), -30 + random.NextDouble() * 28),
                Spread: 0.3 + random.NextDouble(), Weight: 0.2 + random.NextDouble()))
            .ToArray();
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        (AudioFeatures Center, double Spread) Pick()
        {
            var pick = random.NextDouble() * blobs.Sum(b => b.Weight);
            foreach (var b in blobs)
            {
                if ((pick -= b.Weight) <= 0)
                {
                    return (b.Center, b.Spread);
                }
            }

            return (blobs[^1].Center, blobs[^1].Spread);
        }

        return Enumerable.Range(0, tracks).Select(_ =>
        {
            var (c, s) = Pick();
            return new AudioFeatures(
                random.Next(40) == 0 ? 0 : Math.Clamp(c.Tempo + Gauss() * 15 * s, 40, 220),
                Math.Clamp(c.Energy + Gauss() * 0.12 * s, 0, 1),
                Math.Clamp(c.Danceability + Gauss() * 0.12 * s, 0, 1),
                Math.Clamp(c.Valence + Gauss() * 0.12 * s, 0, 1),
                Math.Clamp(c.Loudness + Gauss() * 3 * s, -45, 1));
        }).ToList();
    }
}
