using Recs.Core.Clustering;
using Recs.Core.Prediction;

namespace Recs.Core.RealFeatures;

/// <summary>
/// A library's check set, measured: its tracks with real features (file, catalog or service) predicted as if their
/// features were unknown, compared on clusters, and the correction fitted from their errors.
/// </summary>
/// <param name="Tracks">Tracks in the check set.</param>
/// <param name="Agreement">Predicted vs true cluster on the check set (uncorrected predictions), with chance and kappa.</param>
/// <param name="Correction">The correction the library's other predictions get.</param>
public sealed record CheckSetReport(int Tracks, ClusterAgreementStats Agreement, PredictionCorrection Correction);

/// <summary>The correction's gain on held-out check-set tracks (the <c>evaluate</c> verb's <c>correction</c>).</summary>
/// <param name="Shrinkage">The k of n/(n+k).</param>
/// <param name="Folds">Folds: each fold is corrected by a correction fitted on the other folds only.</param>
/// <param name="HeldOutTracks">Tracks measured (every track once, while held out).</param>
/// <param name="Before">Agreement of the uncorrected predictions.</param>
/// <param name="After">Agreement of the corrected predictions.</param>
/// <param name="MaeBefore">Per-feature MAE of the uncorrected predictions (native units).</param>
/// <param name="MaeAfter">Per-feature MAE of the corrected predictions.</param>
public sealed record CorrectionGain(
    double Shrinkage,
    int Folds,
    int HeldOutTracks,
    ClusterAgreementStats Before,
    ClusterAgreementStats After,
    IReadOnlyDictionary<string, double> MaeBefore,
    IReadOnlyDictionary<string, double> MaeAfter)
{
    /// <summary>Cluster agreement gained by the correction (after − before; negative = worse).</summary>
    public double AgreementGain => Math.Round(After.Agreement - Before.Agreement, 4);

    /// <summary>Kappa gained by the correction.</summary>
    public double KappaGain => Math.Round(After.Kappa - Before.Kappa, 4);

    /// <summary>Mean over the five features of (MAE before − MAE after) / MAE before: positive = the errors shrank.</summary>
    public double RelativeMaeGain => Math.Round(
        AudioFeatures.Names.Average(f => MaeBefore[f] > 0 ? (MaeBefore[f] - MaeAfter[f]) / MaeBefore[f] : 0), 4);
}

/// <summary>Measures check sets and the correction they give (ADR-141).</summary>
public static class CheckSet
{
    /// <summary>
    /// Measures a check set from the true features and the as-if-unknown predictions of its tracks.
    /// Tracks whose true tempo is unknown count in the correction of the other features but not in cluster agreement
    /// (a true cluster needs all five features).
    /// </summary>
    public static CheckSetReport Measure(ClusterModel clusters, IReadOnlyList<AudioFeatures> truth, IReadOnlyList<FeaturePrediction> predictions, double shrinkage = PredictionCorrection.DefaultShrinkage)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        return new CheckSetReport(truth.Count, Agreement(clusters, truth, predictions, null), PredictionCorrection.Fit(truth, predictions, shrinkage));
    }

    /// <summary>
    /// Cross-fitted gain of the correction: the tracks are split into <paramref name="folds"/> folds by a hash of their
    /// key (deterministic, independent of order); each fold's predictions are corrected with a correction fitted on the
    /// other folds only and compared with the truth, so no track's own error ever corrects it.
    /// </summary>
    public static CorrectionGain HeldOutGain(
        ClusterModel clusters,
        IReadOnlyList<string> keys,
        IReadOnlyList<AudioFeatures> truth,
        IReadOnlyList<FeaturePrediction> predictions,
        double shrinkage = PredictionCorrection.DefaultShrinkage,
        int folds = 2)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var n = truth.Count;
        var fold = new int[n];
        for (var i = 0; i < n; i++)
        {
            fold[i] = (int)(StableHash.Fnv1a(keys[i]) % (uint)folds);
        }

        var corrected = new FeaturePrediction[n];
        for (var f = 0; f < folds; f++)
        {
            var fitTruth = new List<AudioFeatures>();
            var fitPredictions = new List<FeaturePrediction>();
            for (var i = 0; i < n; i++)
            {
                if (fold[i] != f)
                {
                    fitTruth.Add(truth[i]);
                    fitPredictions.Add(predictions[i]);
                }
            }

            var correction = PredictionCorrection.Fit(fitTruth, fitPredictions, shrinkage);
            for (var i = 0; i < n; i++)
            {
                if (fold[i] == f)
                {
                    corrected[i] = correction.Apply(predictions[i]);
                }
            }
        }

        return new CorrectionGain(
            shrinkage,
            folds,
            n,
            Agreement(clusters, truth, predictions, null),
            Agreement(clusters, truth, corrected, null),
            Mae(truth, predictions),
            Mae(truth, corrected));
    }

    /// <summary>Cluster agreement of predictions (optionally corrected) with the true features' clusters.</summary>
    public static ClusterAgreementStats Agreement(ClusterModel clusters, IReadOnlyList<AudioFeatures> truth, IReadOnlyList<FeaturePrediction> predictions, PredictionCorrection? correction)
    {
        var t = new List<int>(truth.Count);
        var p = new List<int>(truth.Count);
        for (var i = 0; i < truth.Count; i++)
        {
            if (!truth[i].HasTempo)
            {
                continue;
            }

            var prediction = correction is null ? predictions[i] : correction.Apply(predictions[i]);
            t.Add(clusters.Assign(truth[i]));
            p.Add(clusters.Assign(prediction.ForClustering));
        }

        return ClusterAgreementStats.Compute(t, p, clusters.K);
    }

    private static Dictionary<string, double> Mae(IReadOnlyList<AudioFeatures> truth, IReadOnlyList<FeaturePrediction> predictions)
    {
        var result = new Dictionary<string, double>();
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            double sum = 0;
            var n = 0;
            for (var i = 0; i < truth.Count; i++)
            {
                if (double.IsFinite(truth[i][f]) && (f != 0 || truth[i].HasTempo))
                {
                    sum += Math.Abs(truth[i][f] - predictions[i].Features[f]);
                    n++;
                }
            }

            result[AudioFeatures.Names[f]] = n == 0 ? 0 : Math.Round(sum / n, 4);
        }

        return result;
    }
}
