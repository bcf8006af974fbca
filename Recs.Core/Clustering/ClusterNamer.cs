namespace Recs.Core.Clustering;

/// <summary>
/// Names clusters from their centroids relative to the catalog: each centroid is a vector of z-scores, so its
/// most distinctive features (largest |z|) say how it sounds next to the catalog average. A name lists the three
/// most distinctive features in a fixed order (tempo, energy, danceability, mood, loudness), e.g.
/// "fast · energetic · happy"; when two clusters would share a name, both get more words until they differ.
/// Deterministic: the same centroids always give the same names.
/// </summary>
public static class ClusterNamer
{
    /// <summary>The separator between the words of a name.</summary>
    public const string Separator = " · ";

    /// <summary>Words per name before disambiguation.</summary>
    public const int BaseWords = 3;

    // Below this |z| a feature is "about average" and is said so rather than forced into high/low.
    private const double NeutralZ = 0.2;

    private static readonly (string High, string Low, string Mid)[] Words =
    [
        ("fast", "slow", "mid-tempo"),
        ("energetic", "calm", "moderate energy"),
        ("danceable", "free-form", "steady groove"),
        ("happy", "sad", "bittersweet"),
        ("loud", "quiet", "medium volume"),
    ];

    /// <summary>The word for one feature of a centroid given its z-score.</summary>
    public static string Word(int feature, double z) =>
        Math.Abs(z) < NeutralZ ? Words[feature].Mid : z > 0 ? Words[feature].High : Words[feature].Low;

    /// <summary>Unique names for scaled centroids (one array of <see cref="AudioFeatures.Count"/> z-scores per cluster).</summary>
    public static IReadOnlyList<string> Name(IReadOnlyList<double[]> scaledCentroids)
    {
        var k = scaledCentroids.Count;
        // Features of each centroid from most to least distinctive; ties keep the fixed feature order.
        var ranked = scaledCentroids
            .Select(c => Enumerable.Range(0, AudioFeatures.Count).OrderByDescending(i => Math.Abs(c[i])).ThenBy(i => i).ToArray())
            .ToArray();
        var words = Enumerable.Repeat(BaseWords, k).ToArray();
        var names = new string[k];
        for (var round = 0; round <= AudioFeatures.Count; round++)
        {
            for (var c = 0; c < k; c++)
            {
                names[c] = Compose(scaledCentroids[c], ranked[c], words[c]);
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

    private static string Compose(double[] centroid, int[] ranked, int words) =>
        string.Join(Separator, ranked.Take(words).Order().Select(i => Word(i, centroid[i])));
}
