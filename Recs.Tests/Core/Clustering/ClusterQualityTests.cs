using Recs.Core.Clustering;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.Clustering;

public sealed class ClusterQualityTests
{
    [Fact]
    public void AdjustedRandIndexIgnoresLabelNamesAndDropsForUnrelatedPartitions()
    {
        int[] a = [0, 0, 0, 1, 1, 1, 2, 2, 2];
        int[] renamed = [5, 5, 5, 3, 3, 3, 9, 9, 9];
        int[] crossed = [0, 1, 2, 0, 1, 2, 0, 1, 2];

        Assert.Equal(1.0, ClusterQuality.AdjustedRandIndex(a, renamed), 9);
        Assert.True(ClusterQuality.AdjustedRandIndex(a, crossed) < 0.1);
    }

    [Fact]
    public void WellSeparatedDataHasAHighSilhouetteAndLessErrorWithTheRightK()
    {
        var data = SyntheticFeatures.Blobs(100);
        var four = ClusterModelTrainer.Train(data, new ClusteringOptions { K = 4 });
        var two = ClusterModelTrainer.Train(data, new ClusteringOptions { K = 2 });

        Assert.True(ClusterQuality.Silhouette(four, data) > 0.7);
        Assert.True(ClusterQuality.WithinClusterSse(four, data) < ClusterQuality.WithinClusterSse(two, data) / 5);
    }
}
