using Recs.Core;
using Recs.Core.Clustering;
using Recs.Core.Libraries;

namespace Recs.Web.Libraries;

/// <summary>A cluster at a glance: what the library page shows per card.</summary>
/// <param name="Average">Mean features of the cluster's tracks in this library.</param>
/// <param name="Real">Tracks clustered with real features (from the file, the catalog or a features service).</param>
/// <param name="Predicted">Tracks clustered with predicted features.</param>
public sealed record ClusterSummary(int Id, string Name, int Size, AudioFeatures Centroid, AudioFeatures Average, int Real, int Predicted);

/// <summary>
/// A library clustered once with one model version and one <c>use_recs_model</c> choice, plus what the pages derive
/// from it. Held in <see cref="LibraryService"/>'s bounded cache and shared by every page of the user: components
/// keep only the slices they show.
/// </summary>
public sealed class LibraryClustering
{
    public LibraryClustering(UserLibrarySummary library, ClusteringResult result)
    {
        Library = library;
        Result = result;
        var all = result.Clusters.SelectMany(c => c.Tracks).ToList();
        LibraryAverage = Mean(all);
        // Biggest first; a cluster none of the library's tracks fell into has nothing to show.
        Clusters = result.Clusters
            .Where(c => c.Tracks.Count > 0)
            .OrderByDescending(c => c.Tracks.Count)
            .Select(c => new ClusterSummary(c.Id, c.Name, c.Size, c.Centroid, Mean(c.Tracks),
                c.Tracks.Count(t => t.Source is { } s && FeatureSources.IsReal(s)), c.Tracks.Count(t => t.Source == FeatureSource.Predicted)))
            .ToList();
        _withoutPredictions = new(() => result.WithoutPredictions() is { } off ? new LibraryClustering(library, off) : null);
    }

    public UserLibrarySummary Library { get; }
    public ClusteringResult Result { get; }

    /// <summary>Mean features of every clustered track.</summary>
    public AudioFeatures LibraryAverage { get; }

    /// <summary>The clusters holding at least one track, biggest first.</summary>
    public IReadOnlyList<ClusterSummary> Clusters { get; }

    // The scatter samples asked for, per (x, y, max points): every tab of the listener shares them (issue 15).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int X, int Y, int Max), IReadOnlyList<ScatterSeries>> _scatter = new();

    /// <summary>The scatter sample on features (<paramref name="x"/>, <paramref name="y"/>), computed once and shared.</summary>
    public IReadOnlyList<ScatterSeries> Scatter(int x, int y, int maxPoints)
        => _scatter.GetOrAdd((x, y, maxPoints), k => LibraryService.Scatter(this, k.X, k.Y, k.Max));

    // Derived on first use, then shared, and held exactly as long as this clustering (one cache entry for the pair).
    private readonly Lazy<LibraryClustering?> _withoutPredictions;

    /// <summary>
    /// The same library with <c>use_recs_model</c> off, derived from this clustering on first use (a pass over the
    /// tracks: no reading, no predicting) and sharing its tracks; null when this clustering is already off.
    /// </summary>
    public LibraryClustering? WithoutPredictions => _withoutPredictions.Value;

    /// <summary>The cluster with <paramref name="id"/>, or null.</summary>
    public ClusterGroup? FindCluster(int id) => Result.Clusters.FirstOrDefault(c => c.Id == id);

    private static AudioFeatures Mean(IReadOnlyCollection<ClusteredTrack> tracks)
    {
        Span<double> sum = stackalloc double[AudioFeatures.Count];
        Span<int> n = stackalloc int[AudioFeatures.Count];
        foreach (var t in tracks)
        {
            if (t.Features is not { } f)
            {
                continue;
            }

            for (var i = 0; i < AudioFeatures.Count; i++)
            {
                // An undetected tempo (0) would drag the mean down: leave it out.
                if (i == 0 && !f.HasTempo)
                {
                    continue;
                }

                sum[i] += f[i];
                n[i]++;
            }
        }

        Span<double> mean = stackalloc double[AudioFeatures.Count];
        for (var i = 0; i < AudioFeatures.Count; i++)
        {
            mean[i] = n[i] == 0 ? 0 : sum[i] / n[i];
        }

        return AudioFeatures.FromSpan(mean);
    }
}
