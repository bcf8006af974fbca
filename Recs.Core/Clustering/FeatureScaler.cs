namespace Recs.Core.Clustering;

/// <summary>
/// Standardises the five clustered features with the catalog's mean and standard deviation (z-scores).
/// A tempo of 0 means "not detected": it is left out of the tempo mean and standard deviation, and scales to 0
/// (the mean), which is how an unknown tempo is imputed when a track is assigned to a cluster. Immutable.
/// </summary>
public sealed class FeatureScaler
{
    private readonly double[] _means;
    private readonly double[] _stdDevs;

    /// <summary>Creates a scaler from per-feature means and standard deviations in <see cref="AudioFeatures.Names"/> order.</summary>
    public FeatureScaler(IReadOnlyList<double> means, IReadOnlyList<double> stdDevs)
    {
        if (means.Count != AudioFeatures.Count || stdDevs.Count != AudioFeatures.Count)
        {
            throw new ArgumentException($"a scaler needs {AudioFeatures.Count} means and standard deviations");
        }

        _means = [.. means];
        // A constant feature would divide by zero; a unit deviation leaves it centred and harmless.
        _stdDevs = stdDevs.Select(s => s > 1e-12 && double.IsFinite(s) ? s : 1.0).ToArray();
    }

    /// <summary>Per-feature means in <see cref="AudioFeatures.Names"/> order (tempo over detected tempos only).</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>Per-feature standard deviations in <see cref="AudioFeatures.Names"/> order.</summary>
    public IReadOnlyList<double> StdDevs => _stdDevs;

    /// <summary>Fits the scaler on catalog features (population standard deviation; tempo 0 excluded from tempo).</summary>
    public static FeatureScaler Fit(IEnumerable<AudioFeatures> features)
    {
        Span<double> sum = stackalloc double[AudioFeatures.Count];
        Span<double> sumSq = stackalloc double[AudioFeatures.Count];
        Span<long> n = stackalloc long[AudioFeatures.Count];
        foreach (var f in features)
        {
            for (var i = 0; i < AudioFeatures.Count; i++)
            {
                if (i == 0 && !f.HasTempo)
                {
                    continue;
                }

                var v = f[i];
                if (!double.IsFinite(v))
                {
                    continue;
                }

                sum[i] += v;
                sumSq[i] += v * v;
                n[i]++;
            }
        }

        var means = new double[AudioFeatures.Count];
        var stds = new double[AudioFeatures.Count];
        for (var i = 0; i < AudioFeatures.Count; i++)
        {
            if (n[i] == 0)
            {
                throw new InvalidOperationException($"cannot fit the scaler: no known values of {AudioFeatures.Names[i]}");
            }

            means[i] = sum[i] / n[i];
            stds[i] = Math.Sqrt(Math.Max(0, sumSq[i] / n[i] - means[i] * means[i]));
        }

        return new FeatureScaler(means, stds);
    }

    /// <summary>Writes the z-scores of <paramref name="features"/> into <paramref name="destination"/> (5 values).</summary>
    public void Scale(in AudioFeatures features, Span<double> destination)
    {
        for (var i = 0; i < AudioFeatures.Count; i++)
        {
            var v = features[i];
            destination[i] = (i == 0 && !features.HasTempo) || !double.IsFinite(v) ? 0 : (v - _means[i]) / _stdDevs[i];
        }
    }

    /// <summary>The z-scores of <paramref name="features"/> as a new array.</summary>
    public double[] Scale(in AudioFeatures features)
    {
        var result = new double[AudioFeatures.Count];
        Scale(features, result);
        return result;
    }

    /// <summary>Native units of a scaled vector (the inverse of <see cref="Scale(in AudioFeatures)"/>).</summary>
    public AudioFeatures Unscale(ReadOnlySpan<double> scaled)
    {
        Span<double> v = stackalloc double[AudioFeatures.Count];
        for (var i = 0; i < AudioFeatures.Count; i++)
        {
            v[i] = scaled[i] * _stdDevs[i] + _means[i];
        }

        return AudioFeatures.FromSpan(v);
    }
}
