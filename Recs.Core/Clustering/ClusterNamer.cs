namespace Recs.Core.Clustering;

/// <summary>
/// Names the clusters of one model from their centroids (z-scores against the catalog), by how each cluster differs
/// from the <em>other clusters of the same model</em>:
/// <list type="bullet">
/// <item>For each feature, a cluster's <b>contrast</b> is its centroid minus the mean of the other clusters' centroids
/// (in catalog standard deviations, so features compare on one scale; with a single cluster, against the catalog mean).</item>
/// <item>The word for a feature depends on the contrast only: "high" (fast, energetic…) at or above
/// +<see cref="WordThreshold"/>, "low" (slow, calm…) at or below −<see cref="WordThreshold"/>, "mid" (mid-tempo…) in between.
/// Within a model the contrast grows with the centroid (it is (k·x − Σx)/(k−1)), so on every feature each cluster
/// named "fast" has a higher centroid than each one named "mid-tempo", which has a higher one than each "slow": a name
/// never contradicts the numbers beside it.</item>
/// <item>A name lists the <see cref="BaseWords"/> features with the largest |contrast| (what most distinguishes the
/// cluster), in a fixed order (tempo, energy, danceability, mood, loudness), e.g. "fast · energetic · happy"; when two
/// clusters would share a name, both get more words until they differ, and numbers only as a last resort.</item>
/// </list>
/// Deterministic: the same centroids always give the same names. See ADR-170.
/// </summary>
public static class ClusterNamer
{
    /// <summary>The separator between the words of a name.</summary>
    public const string Separator = " · ";

    /// <summary>Words per name before disambiguation.</summary>
    public const int BaseWords = 3;

    /// <summary>
    /// The |contrast| (catalog standard deviations) from which a feature gets its "high" or "low" word; below it the
    /// cluster is about as high as the others and gets the "mid" word.
    /// </summary>
    public const double WordThreshold = 0.3;

    /// <summary>Which side of the other clusters a word puts a cluster on.</summary>
    public enum Level
    {
        Low = -1,
        Mid = 0,
        High = 1,
    }

    private static readonly (string High, string Low, string Mid)[] Words =
    [
        ("fast", "slow", "mid-tempo"),
        ("energetic", "calm", "moderate energy"),
        ("danceable", "free-form", "steady groove"),
        ("happy", "sad", "bittersweet"),
        ("loud", "quiet", "medium volume"),
    ];

    /// <summary>The word for <paramref name="feature"/> at <paramref name="level"/>.</summary>
    public static string Word(int feature, Level level) => level switch
    {
        Level.High => Words[feature].High,
        Level.Low => Words[feature].Low,
        _ => Words[feature].Mid,
    };

    /// <summary>
    /// Reads one word of a name back: the feature it speaks about and on which side, or null for a word that is not a
    /// feature word (e.g. the "(2)" of a numbered name).
    /// </summary>
    public static (int Feature, Level Level)? Parse(string word)
    {
        for (var f = 0; f < Words.Length; f++)
        {
            if (word == Words[f].High)
            {
                return (f, Level.High);
            }

            if (word == Words[f].Low)
            {
                return (f, Level.Low);
            }

            if (word == Words[f].Mid)
            {
                return (f, Level.Mid);
            }
        }

        return null;
    }

    /// <summary>
    /// The contrast of every cluster on every feature: centroid minus the mean of the other clusters' centroids
    /// (a single cluster is compared with the catalog mean, 0).
    /// </summary>
    private static double[][] Contrasts(IReadOnlyList<double[]> scaledCentroids)
    {
        var k = scaledCentroids.Count;
        var sums = new double[AudioFeatures.Count];
        foreach (var c in scaledCentroids)
        {
            for (var f = 0; f < sums.Length; f++)
            {
                sums[f] += c[f];
            }
        }

        return scaledCentroids
            .Select(c => Enumerable.Range(0, AudioFeatures.Count).Select(f => k == 1 ? c[f] : c[f] - (sums[f] - c[f]) / (k - 1)).ToArray())
            .ToArray();
    }

    /// <summary>The level a contrast puts a feature at (see <see cref="WordThreshold"/>).</summary>
    private static Level LevelOf(double contrast) =>
        contrast >= WordThreshold ? Level.High : contrast <= -WordThreshold ? Level.Low : Level.Mid;

    /// <summary>Unique names for scaled centroids (one array of <see cref="AudioFeatures.Count"/> z-scores per cluster).</summary>
    public static IReadOnlyList<string> Name(IReadOnlyList<double[]> scaledCentroids)
    {
        var k = scaledCentroids.Count;
        var contrasts = Contrasts(scaledCentroids);
        // Features of each cluster from most to least distinctive; ties keep the fixed feature order.
        var ranked = contrasts
            .Select(c => Enumerable.Range(0, AudioFeatures.Count).OrderByDescending(i => Math.Abs(c[i])).ThenBy(i => i).ToArray())
            .ToArray();
        var words = Enumerable.Repeat(BaseWords, k).ToArray();
        var names = new string[k];
        for (var round = 0; round <= AudioFeatures.Count; round++)
        {
            for (var c = 0; c < k; c++)
            {
                names[c] = Compose(contrasts[c], ranked[c], words[c]);
            }

            var clashes = names.Select((n, i) => (n, i)).GroupBy(x => x.n).Where(g => g.Count() > 1).SelectMany(g => g.Select(x => x.i)).ToArray();
            if (clashes.Length == 0)
            {
                return names;
            }

            var grew = false;
            foreach (var c in clashes.Where(c => words[c] < AudioFeatures.Count))
            {
                words[c]++;
                grew = true;
            }

            if (!grew)
            {
                break;
            }
        }

        // Same words on every feature (centroids nearly equal): number the later ones so names stay unique.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < k; c++)
        {
            if (seen.TryGetValue(names[c], out var count))
            {
                seen[names[c]] = count + 1;
                names[c] = $"{names[c]} ({count + 1})";
            }
            else
            {
                seen[names[c]] = 1;
            }
        }

        return names;
    }

    private static string Compose(double[] contrast, int[] ranked, int words) =>
        string.Join(Separator, ranked.Take(words).Order().Select(i => Word(i, LevelOf(contrast[i]))));
}
