using Recs.Core.RealFeatures;

namespace Recs.Tests.Core.RealFeatures;

public sealed class ClusterAgreementStatsTests
{
    [Fact]
    public void ChanceIsTheSumOfTheMarginalProductsAndKappaCorrectsForIt()
    {
        // 10 tracks, 2 clusters. Truth: 6 in 0, 4 in 1. Predicted: 5 in 0, 5 in 1. Agreement 7/10.
        int[] truth = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
        int[] predicted = [0, 0, 0, 0, 1, 1, 1, 1, 1, 0];

        var stats = ClusterAgreementStats.Compute(truth, predicted, k: 3);

        Assert.Equal(10, stats.Tracks);
        Assert.Equal(0.7, stats.Agreement);
        Assert.Equal(0.5, stats.ChanceAgreement); // 0.6 × 0.5 + 0.4 × 0.5
        Assert.Equal(0.4, stats.Kappa);           // (0.7 − 0.5) / (1 − 0.5)
        Assert.Equal(0.6, stats.MajorityClusterRate);
    }

    [Fact]
    public void AlwaysGuessingTheBiggestClusterAgreesOftenButHasNoKappa()
    {
        int[] truth = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2];
        int[] predicted = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        var stats = ClusterAgreementStats.Compute(truth, predicted, k: 3);

        Assert.Equal(0.8, stats.Agreement);
        Assert.Equal(0.8, stats.ChanceAgreement);
        Assert.Equal(0, stats.Kappa);
    }

    [Fact]
    public void PerfectAgreementHasKappaOneAndEmptyInputIsAllZero()
    {
        Assert.Equal(1, ClusterAgreementStats.Compute([0, 1, 2, 1], [0, 1, 2, 1], 3).Kappa);
        Assert.Equal(ClusterAgreementStats.Empty, ClusterAgreementStats.Compute([], [], 3));
        Assert.Throws<ArgumentException>(() => ClusterAgreementStats.Compute([0], [0, 1], 2));
    }
}
