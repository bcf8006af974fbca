namespace Recs.Core.Clustering;

/// <summary>Measures of how well a cluster model fits data: used to choose k (ADR-020) and by benchmarks.</summary>
public static class ClusterQuality
{
    /// <summary>Within-cluster sum of squared distances (on z-scores) of <paramref name="features"/> to their centroids.</summary>
    public static double WithinClusterSse(ClusterModel model, IReadOnlyList<AudioFeatures> features)
    {
        Span<double> scaled = stackalloc double[AudioFeatures.Count];
        var sse = 0.0;
        foreach (var f in features)
        {
            model.Scaler.Scale(f, scaled);
            var centroid = model.ScaledCentroid(model.AssignScaled(scaled));
            for (var i = 0; i < AudioFeatures.Count; i++)
            {
                sse += (scaled[i] - centroid[i]) * (scaled[i] - centroid[i]);
            }
        }

        return sse;
    }

    /// <summary>
    /// Mean silhouette of a deterministic sample of at most <paramref name="sampleSize"/> points (exact silhouette is
    /// quadratic): for each sampled point, (b − a) / max(a, b) with a the mean distance to its own cluster and b to the
    /// nearest other cluster, both over the sample.
    /// </summary>
    public static double Silhouette(ClusterModel model, IReadOnlyList<AudioFeatures> features, int sampleSize = 3000, int seed = 1)
    {
        var random = new Random(seed);
        var sample = features.Count <= sampleSize
            ? features.ToArray()
            : Enumerable.Range(0, features.Count).OrderBy(_ => random.Next()).Take(sampleSize).Select(i => features[i]).ToArray();
        var vectors = sample.Select(model.Scale).ToArray();
        var clusters = vectors.Select(v => model.AssignScaled(v)).ToArray();
        var total = 0.0;
        var sums = new double[model.K];
        var counts = new int[model.K];
        foreach (var c in clusters)
        {
            counts[c]++;
        }

        for (var p = 0; p < vectors.Length; p++)
        {
            Array.Clear(sums);
            for (var q = 0; q < vectors.Length; q++)
            {
                if (p != q)
                {
                    sums[clusters[q]] += Distance(vectors[p], vectors[q]);
                }
            }

            var own = clusters[p];
            if (counts[own] <= 1)
            {
                continue; // silhouette of a singleton is 0 by convention
            }

            var a = sums[own] / (counts[own] - 1);
            var b = double.PositiveInfinity;
            for (var c = 0; c < model.K; c++)
            {
                if (c != own && counts[c] > 0)
                {
                    b = Math.Min(b, sums[c] / counts[c]);
                }
            }

            total += double.IsFinite(b) ? (b - a) / Math.Max(a, b) : 0;
        }

        return total / vectors.Length;
    }

    /// <summary>
    /// Adjusted Rand index between two labelings of the same points: 1 for identical partitions (whatever the ids),
    /// about 0 for chance agreement. Used to measure how stable clusters are across seeds.
    /// </summary>
    public static double AdjustedRandIndex(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException("labelings of different lengths");
        }

        var table = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var cols = new Dictionary<int, long>();
        for (var i = 0; i < a.Count; i++)
        {
            table[(a[i], b[i])] = table.GetValueOrDefault((a[i], b[i])) + 1;
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            cols[b[i]] = cols.GetValueOrDefault(b[i]) + 1;
        }

        static double Pairs(long n) => n * (n - 1) / 2.0;
        var index = table.Values.Sum(Pairs);
        var rowPairs = rows.Values.Sum(Pairs);
        var colPairs = cols.Values.Sum(Pairs);
        var expected = rowPairs * colPairs / Pairs(a.Count);
        var max = (rowPairs + colPairs) / 2;
        return max - expected == 0 ? 1 : (index - expected) / (max - expected);
    }

    private static double Distance(double[] x, double[] y)
    {
        var d = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            d += (x[i] - y[i]) * (x[i] - y[i]);
        }

        return Math.Sqrt(d);
    }
}
