namespace Recs.Core.RealFeatures;

/// <summary>
/// How often a predicted cluster equals the true one, next to what chance alone would give.
/// </summary>
/// <param name="Tracks">Tracks compared (those whose true tempo is known: a true cluster needs all five features).</param>
/// <param name="Agreement">Share of tracks whose predicted cluster equals their true cluster (0–1).</param>
/// <param name="ChanceAgreement">
/// Agreement expected by chance from the two marginals: Σ over clusters of (share of tracks truly in c) × (share predicted
/// in c). It is what a guesser achieves who knows how often each cluster occurs in this library and in the predictions,
/// but nothing about the individual track — Cohen's p<sub>e</sub>.
/// </param>
/// <param name="Kappa">Cohen's kappa: (agreement − chance) / (1 − chance); 0 = no better than chance, 1 = perfect.</param>
/// <param name="MajorityClusterRate">Share of the largest true cluster (the "always say the biggest cluster" rate).</param>
public sealed record ClusterAgreementStats(int Tracks, double Agreement, double ChanceAgreement, double Kappa, double MajorityClusterRate)
{
    /// <summary>No tracks to compare: every rate 0 (kept numeric for scripts).</summary>
    public static readonly ClusterAgreementStats Empty = new(0, 0, 0, 0, 0);

    /// <summary>Compares true and predicted cluster ids (same length, ids in [0, <paramref name="k"/>)).</summary>
    public static ClusterAgreementStats Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int k)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Count != predicted.Count)
        {
            throw new ArgumentException($"{truth.Count} true clusters but {predicted.Count} predicted ones", nameof(predicted));
        }

        var n = truth.Count;
        if (n == 0)
        {
            return Empty;
        }

        var trueCounts = new int[k];
        var predictedCounts = new int[k];
        var agree = 0;
        for (var i = 0; i < n; i++)
        {
            trueCounts[truth[i]]++;
            predictedCounts[predicted[i]]++;
            agree += truth[i] == predicted[i] ? 1 : 0;
        }

        var po = (double)agree / n;
        var pe = 0.0;
        for (var c = 0; c < k; c++)
        {
            pe += (double)trueCounts[c] / n * ((double)predictedCounts[c] / n);
        }

        // pe = 1 only when both sides put every track in one and the same cluster: agreement is then perfect and
        // trivially so; kappa is taken as 0 (nothing beyond chance), never NaN.
        var kappa = pe >= 1 ? 0 : (po - pe) / (1 - pe);
        return new ClusterAgreementStats(n, Math.Round(po, 4), Math.Round(pe, 4), Math.Round(kappa, 4), Math.Round((double)trueCounts.Max() / n, 4));
    }
}
