using Recs.Core.Catalog;
using Recs.Core.Prediction;

namespace Recs.Core.RealFeatures;

/// <summary>
/// The per-library correction of predictions (docs/contracts.md §Pipeline item 7, ADR-141): the check set's mean error per feature
/// (true − predicted), shrunk towards zero by the check set's size, added to every other prediction of the library.
/// A small check set says little about the library's bias, so it moves predictions little:
/// <c>offset_f = n_f / (n_f + k) × mean_f(true − predicted)</c>, with <c>n_f</c> the check-set tracks whose feature f is
/// known (tempo 0 = not detected is left out). <see cref="DefaultShrinkage"/> is <c>k</c>.
/// The shown features and the features used to pick a cluster (the calibrated spread, see
/// <see cref="FeaturePrediction.ForClustering"/>) are each corrected by their own mean error. Immutable.
/// </summary>
public sealed class PredictionCorrection
{
    /// <summary>
    /// The default <c>k</c> in n/(n+k): with 100 check tracks the mean error counts for two thirds, with 10 for a sixth.
    /// Chosen on the shared real exports (BENCHMARKS.md, "per-library correction"): it never made a held-out check set
    /// worse on average, while smaller values did on the smallest libraries.
    /// </summary>
    public const double DefaultShrinkage = 50;

    private readonly double[] _shown;
    private readonly double[] _cluster;

    private PredictionCorrection(double[] shown, double[] cluster, int tracks, double shrinkage)
    {
        _shown = shown;
        _cluster = cluster;
        Tracks = tracks;
        Shrinkage = shrinkage;
    }

    /// <summary>No correction (an empty check set).</summary>
    public static PredictionCorrection None { get; } = new(new double[AudioFeatures.Count], new double[AudioFeatures.Count], 0, DefaultShrinkage);

    /// <summary>Check-set tracks the correction was fitted on.</summary>
    public int Tracks { get; }

    /// <summary>The <c>k</c> of n/(n+k).</summary>
    public double Shrinkage { get; }

    /// <summary>The offsets added to shown features, in native units (BPM, 0–1, dB), in <see cref="AudioFeatures.Names"/> order.</summary>
    public AudioFeatures Offsets => AudioFeatures.FromSpan(_shown);

    /// <summary>The offsets added to the features a cluster is picked with.</summary>
    public AudioFeatures ClusterOffsets => AudioFeatures.FromSpan(_cluster);

    /// <summary>True when the correction changes nothing.</summary>
    public bool IsNone => _shown.All(o => o == 0) && _cluster.All(o => o == 0);

    /// <summary>
    /// Fits the correction on a check set: the true features of tracks and their predictions made as if unknown.
    /// </summary>
    public static PredictionCorrection Fit(IReadOnlyList<AudioFeatures> truth, IReadOnlyList<FeaturePrediction> predictions, double shrinkage = DefaultShrinkage)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentOutOfRangeException.ThrowIfNegative(shrinkage);
        if (truth.Count != predictions.Count)
        {
            throw new ArgumentException($"{truth.Count} true feature sets but {predictions.Count} predictions", nameof(predictions));
        }

        var shown = new double[AudioFeatures.Count];
        var cluster = new double[AudioFeatures.Count];
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            double sumShown = 0, sumCluster = 0;
            var n = 0;
            for (var i = 0; i < truth.Count; i++)
            {
                var t = truth[i][f];
                var p = predictions[i];
                if (!IsKnown(truth[i], f) || !double.IsFinite(p.Features[f]) || !double.IsFinite(p.ForClustering[f]))
                {
                    continue;
                }

                sumShown += t - p.Features[f];
                sumCluster += t - p.ForClustering[f];
                n++;
            }

            if (n == 0)
            {
                continue;
            }

            var weight = n / (n + shrinkage);
            shown[f] = weight * sumShown / n;
            cluster[f] = weight * sumCluster / n;
        }

        return new PredictionCorrection(shown, cluster, truth.Count, shrinkage);
    }

    /// <summary>The prediction with the offsets added (kept within the features' valid ranges); the tier is kept.</summary>
    public FeaturePrediction Apply(FeaturePrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (Tracks == 0)
        {
            return prediction;
        }

        var shown = Shift(prediction.Features, _shown);
        return prediction with
        {
            Features = shown,
            ClusterFeatures = prediction.ClusterFeatures is { } c ? Shift(c, _cluster) : Shift(prediction.Features, _cluster),
        };
    }

    private static AudioFeatures Shift(AudioFeatures f, double[] offsets)
    {
        Span<double> v = stackalloc double[AudioFeatures.Count];
        for (var i = 0; i < AudioFeatures.Count; i++)
        {
            v[i] = f[i] + offsets[i];
        }

        v[0] = Math.Max(1, v[0]); // a predicted tempo stays a detected tempo
        v[1] = Math.Clamp(v[1], 0, 1);
        v[2] = Math.Clamp(v[2], 0, 1);
        v[3] = Math.Clamp(v[3], 0, 1);
        v[4] = Math.Clamp(v[4], FeatureRanges.LoudnessMin, FeatureRanges.LoudnessMax);
        return AudioFeatures.FromSpan(v);
    }

    private static bool IsKnown(AudioFeatures features, int f) => double.IsFinite(features[f]) && (f != 0 || features.HasTempo);
}
