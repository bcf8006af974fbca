using Recs.Core;
using Recs.Core.Clustering;

namespace Recs.Tests.TestSupport;

/// <summary>Small synthetic catalogs with a known cluster structure, made in code.</summary>
public static class SyntheticFeatures
{
    /// <summary>Four well-separated kinds of track (native units).</summary>
    public static readonly AudioFeatures[] Centers =
    [
        new(70, 0.2, 0.3, 0.2, -18),   // slow, calm, sad, quiet
        new(170, 0.9, 0.5, 0.3, -4),   // fast, energetic, loud
        new(120, 0.6, 0.85, 0.85, -7), // danceable, happy
        new(95, 0.45, 0.5, 0.5, -11),  // middle of the road
    ];

    /// <summary><paramref name="perCenter"/> tracks around each of <see cref="Centers"/>, with small noise.</summary>
    public static List<AudioFeatures> Blobs(int perCenter, int seed = 1)
    {
        var random = new Random(seed);
        var result = new List<AudioFeatures>(perCenter * Centers.Length);
        for (var i = 0; i < perCenter; i++)
        {
            foreach (var c in Centers)
            {
                result.Add(new AudioFeatures(
                    c.Tempo + Noise(random) * 6,
                    Math.Clamp(c.Energy + Noise(random) * 0.04, 0, 1),
                    Math.Clamp(c.Danceability + Noise(random) * 0.04, 0, 1),
                    Math.Clamp(c.Valence + Noise(random) * 0.04, 0, 1),
                    c.Loudness + Noise(random) * 0.8));
            }
        }

        return result;
    }

    /// <summary>Lookup entries for <paramref name="features"/>: track i has id <see cref="Id"/>(i), artist "artist {i % 50}", title "title {i}".</summary>
    public static List<CatalogLookupEntry> Entries(IReadOnlyList<AudioFeatures> features) =>
        features.Select((f, i) => new CatalogLookupEntry(Id(i), $"artist {i % 50}", $"title {i}", f)).ToList();

    /// <summary>A valid 22-character Spotify-style id for synthetic track <paramref name="i"/>.</summary>
    public static string Id(int i) => $"t{i:D21}";

    private static double Noise(Random random) => random.NextDouble() * 2 - 1;
}
