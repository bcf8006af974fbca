using Recs.Core;
using Recs.Core.Prediction;
using Recs.Core.RealFeatures;

namespace Recs.Tests.Core.RealFeatures;

public sealed class PredictionCorrectionTests
{
    private static readonly AudioFeatures Truth = new(120, 0.8, 0.6, 0.5, -6);

    [Fact]
    public void TheMeanErrorIsShrunkByTheCheckSetSize()
    {
        // Every prediction is 10 BPM slow, 0.2 too calm and 3 dB too quiet; valence and danceability are right.
        var truth = Enumerable.Repeat(Truth, 50).ToList();
        var predictions = truth.Select(t => new FeaturePrediction(t with { Tempo = 110, Energy = 0.6, Loudness = -9 }, ConfidenceTier.ArtistKnown)).ToList();

        var correction = PredictionCorrection.Fit(truth, predictions, shrinkage: 50);

        // n / (n + k) = 50 / 100: half of the mean error.
        Assert.Equal(50, correction.Tracks);
        Assert.Equal(5, correction.Offsets.Tempo, 9);
        Assert.Equal(0.1, correction.Offsets.Energy, 9);
        Assert.Equal(0, correction.Offsets.Valence, 9);
        Assert.Equal(1.5, correction.Offsets.Loudness, 9);
        var corrected = correction.Apply(new FeaturePrediction(new AudioFeatures(100, 0.95, 0.5, 0.5, -10), ConfidenceTier.Nothing));
        Assert.Equal(new AudioFeatures(105, 1, 0.5, 0.5, -8.5), corrected.Features); // energy kept within [0, 1]
        Assert.Equal(ConfidenceTier.Nothing, corrected.Tier);
    }

    [Fact]
    public void AFewChecksMoveLittleAndManyMoveAlmostAllTheWay()
    {
        AudioFeatures Off(int n) => PredictionCorrection.Fit(
            Enumerable.Repeat(Truth, n).ToList(),
            Enumerable.Repeat(new FeaturePrediction(Truth with { Energy = 0.5 }, ConfidenceTier.Nothing), n).ToList(),
            shrinkage: 50).Offsets;

        Assert.Equal(0.3 * 5 / 55, Off(5).Energy, 9);
        Assert.Equal(0.3 * 5000 / 5050, Off(5000).Energy, 9);
    }

    [Fact]
    public void UndetectedTempoIsLeftOutOfTheTempoErrorOnlyAndTheClusterFeaturesGetTheirOwnOffset()
    {
        List<AudioFeatures> truth = [Truth, Truth with { Tempo = 0 }];
        List<FeaturePrediction> predictions =
        [
            new(Truth with { Tempo = 100, Energy = 0.7 }, ConfidenceTier.Nothing, Truth with { Tempo = 90, Energy = 0.9 }),
            new(Truth with { Tempo = 100, Energy = 0.7 }, ConfidenceTier.Nothing, Truth with { Tempo = 90, Energy = 0.9 }),
        ];

        var correction = PredictionCorrection.Fit(truth, predictions, shrinkage: 0);

        Assert.Equal(20, correction.Offsets.Tempo, 9);       // one track: the other's tempo was not detected
        Assert.Equal(0.1, correction.Offsets.Energy, 9);     // both tracks
        Assert.Equal(30, correction.ClusterOffsets.Tempo, 9);
        Assert.Equal(-0.1, correction.ClusterOffsets.Energy, 9);
    }

    [Fact]
    public void AnEmptyCheckSetCorrectsNothing()
    {
        var p = new FeaturePrediction(Truth, ConfidenceTier.GenresOnly);
        var correction = PredictionCorrection.Fit([], []);

        Assert.True(correction.IsNone);
        Assert.Same(p, correction.Apply(p));
    }

    [Fact]
    public void HeldOutGainFitsEachFoldOnTheOthersOnly()
    {
        var clusters = new Recs.Core.Clustering.ClusterModel(
            new Recs.Core.Clustering.FeatureScaler([120, 0.5, 0.5, 0.5, -10], [30, 0.2, 0.2, 0.2, 5]),
            [[0, -2, 0, 0, 0], [0, 2, 0, 0, 0]],
            Recs.Core.Clustering.ClusterModelInfo.Manual(2));
        // A library whose predictions are all 0.45 too calm: energetic tracks (0.9) predicted at 0.45 land in the calm cluster.
        var truth = Enumerable.Range(0, 200).Select(i => Truth with { Energy = i % 2 == 0 ? 0.9 : 0.1 }).ToList();
        var predictions = truth.Select(t => new FeaturePrediction(t with { Energy = Math.Max(0, t.Energy - 0.45) }, ConfidenceTier.Nothing)).ToList();
        var keys = Enumerable.Range(0, 200).Select(i => $"track{i}").ToList();

        var gain = CheckSet.HeldOutGain(clusters, keys, truth, predictions, shrinkage: 10);

        Assert.Equal(200, gain.HeldOutTracks);
        Assert.Equal(0.5, gain.Before.Agreement);
        Assert.Equal(1.0, gain.After.Agreement);
        Assert.True(gain.MaeAfter["energy"] < gain.MaeBefore["energy"] * 0.7, $"{gain.MaeBefore["energy"]} -> {gain.MaeAfter["energy"]}");
        Assert.Equal(gain.MaeBefore["tempo"], gain.MaeAfter["tempo"]);
        Assert.Equal(0.5, gain.AgreementGain);
        Assert.True(gain.RelativeMaeGain > 0);
    }
}
