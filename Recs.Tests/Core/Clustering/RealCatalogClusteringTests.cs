using System.Diagnostics;
using Recs.Core.Clustering;
using Recs.Tests.TestSupport;
using Xunit.Abstractions;

namespace Recs.Tests.Core.Clustering;

/// <summary>The default k on the real Kaggle rows in ../shared/data (skipped when absent).</summary>
public sealed class RealCatalogClusteringTests(ITestOutputHelper output)
{
    private const string Catalog = "catalog/kaggle_tracks_subset.csv";

    [SharedDataFact(Catalog)]
    public void TheDefaultKGivesDistinctNamesAndClustersThatHoldAcrossSeedsOnTheRealCatalog()
    {
        var entries = KaggleFeaturesReader.Read(SharedData.File(Catalog)!);
        var features = entries.Select(e => e.Features).ToList();

        var a = ClusterModelTrainer.Train(features, new ClusteringOptions());
        var b = ClusterModelTrainer.Train(features, new ClusteringOptions { Seed = ClusteringOptions.DefaultSeed + 1 });

        Assert.Equal(15_316, entries.Count);
        Assert.Equal(ClusteringOptions.DefaultK, a.Names.Distinct().Count());
        Assert.All(a.Names, n => Assert.DoesNotContain("(", n));
        Assert.True(ClusterQuality.AdjustedRandIndex(a.Assign(features), b.Assign(features)) > 0.6, "clusters hold across seeds");
        var sizes = a.Assign(features).GroupBy(c => c).Select(g => g.Count()).ToList();
        Assert.True(sizes.Min() > features.Count / (ClusteringOptions.DefaultK * 5), "no near-empty cluster");
        output.WriteLine(string.Join(Environment.NewLine, a.Names.Select((n, i) => $"{i}: {n} ({sizes[i]}) {a.Centroids[i]}")));
    }

    /// <summary>The k sweep behind ADR-020 (slow: run with RECS_BENCH=1; numbers go to BENCHMARKS.md).</summary>
    [BenchFact(Catalog)]
    public void SweepKOnTheRealCatalog()
    {
        var features = KaggleFeaturesReader.Read(SharedData.File(Catalog)!).Select(e => e.Features).ToList();
        output.WriteLine("k | SSE | silhouette (3k sample) | ARI vs seed 42, seeds 43..50: mean (min) | min size | max size | train ms | names");
        for (var k = 3; k <= 12; k++)
        {
            var sw = Stopwatch.StartNew();
            var m = ClusterModelTrainer.Train(features, new ClusteringOptions { K = k });
            var ms = sw.ElapsedMilliseconds;
            var labels = m.Assign(features);
            var aris = Enumerable.Range(43, 8)
                .Select(seed => ClusterQuality.AdjustedRandIndex(labels, ClusterModelTrainer.Train(features, new ClusteringOptions { K = k, Seed = seed }).Assign(features)))
                .ToList();
            var sizes = labels.GroupBy(c => c).Select(g => g.Count()).ToList();
            output.WriteLine($"{k} | {ClusterQuality.WithinClusterSse(m, features):F0} | {ClusterQuality.Silhouette(m, features):F3} | " +
                $"{aris.Average():F2} ({aris.Min():F2}) | {sizes.Min()} | {sizes.Max()} | {ms} | {string.Join("; ", m.Names)}");
        }
    }
}
