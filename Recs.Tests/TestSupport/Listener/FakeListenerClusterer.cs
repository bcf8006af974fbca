using Recs.Core;
using Recs.Core.Clustering;
using Recs.Web.Libraries;

namespace Recs.Tests.TestSupport.Listener;

/// <summary>
/// A transparent stand-in for the model: tracks carrying known features are "catalog" (or the source set for their id in
/// <see cref="RealSources"/>: "file" or "service"), the rest are "predicted" from their duration, and a track goes to cluster 0 ("fast") at 120 BPM or more, else to cluster 1 ("slow"). Lets the
/// listener pages and the API be tested without training.
/// </summary>
public sealed class FakeListenerClusterer : IListenerClusterer
{
    public string? ActiveModelVersion { get; set; } = "test-model-1";

    public Task<string?> GetActiveModelVersionAsync(CancellationToken cancellationToken) => Task.FromResult(ActiveModelVersion);

    /// <summary>How many times a library was clustered (to observe the cache).</summary>
    public int Calls { get; private set; }

    /// <summary>Thrown by <see cref="ClusterAsync"/> when set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>The source reported for a track with known features, by id, when it is not the catalog (file or service).</summary>
    public Dictionary<string, FeatureSource> RealSources { get; } = [];

    /// <summary>When set, clustering waits for it (to observe loading states).</summary>
    public Task? Gate { get; set; }

    /// <summary>Called as a clustering starts, on the caller's thread (to observe what a page showed meanwhile).</summary>
    public Action? OnCluster { get; set; }

    public async Task<ClusteringResult> ClusterAsync(IReadOnlyList<TrackMetadata> tracks, bool useRecsModel, CancellationToken cancellationToken)
    {
        Calls++;
        OnCluster?.Invoke();
        if (Gate is not null)
        {
            await Gate;
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        if (ActiveModelVersion is null)
        {
            throw new NoActiveModelException();
        }

        var fast = new List<ClusteredTrack>();
        var slow = new List<ClusteredTrack>();
        var unclustered = new List<ClusteredTrack>();
        var ordered = new List<ClusteredTrack>(); // as the real clusterer, so the switched-off variant can be derived
        var tiers = new Dictionary<ConfidenceTier, int>();
        foreach (var t in tracks)
        {
            AudioFeatures features;
            FeatureSource source;
            ConfidenceTier? tier = null;
            if (t.KnownFeatures is { } known)
            {
                features = known;
                source = t.Id is { } id && RealSources.TryGetValue(id, out var real) ? real : FeatureSource.Catalog;
            }
            else if (useRecsModel)
            {
                features = Predict(t);
                source = FeatureSource.Predicted;
                tier = t.Genres.Count > 0 ? ConfidenceTier.GenresOnly : ConfidenceTier.Nothing;
                tiers[tier.Value] = tiers.GetValueOrDefault(tier.Value) + 1;
            }
            else
            {
                unclustered.Add(new ClusteredTrack(t.Id, t.Name, t.Artists, null, null));
                ordered.Add(unclustered[^1]);
                continue;
            }

            var cluster = features.Tempo >= 120 ? 0 : 1;
            var track = new ClusteredTrack(t.Id, t.Name, t.Artists, features, source, tier, cluster);
            (cluster == 0 ? fast : slow).Add(track);
            ordered.Add(track);
        }

        var clustered = fast.Count + slow.Count;
        var all = fast.Concat(slow).ToList();
        var fromCatalog = all.Count(x => x.Source == FeatureSource.Catalog);
        var coverage = new Coverage(tracks.Count, clustered, tracks.Count == 0 ? 100 : Math.Round(100.0 * clustered / tracks.Count, 1),
            fromCatalog, all.Count(x => x.Source == FeatureSource.Predicted), fromCatalog, 0, tiers)
        {
            FromFile = all.Count(x => x.Source == FeatureSource.File),
            FromService = all.Count(x => x.Source == FeatureSource.Service),
        };
        ClusterGroup[] groups =
        [
            new(0, "fast · energetic", fast.Count, new AudioFeatures(140, 0.8, 0.7, 0.6, -5), fast),
            new(1, "slow · calm", slow.Count, new AudioFeatures(90, 0.3, 0.4, 0.3, -12), slow),
        ];
        return new ClusteringResult(ActiveModelVersion, useRecsModel, groups, unclustered, coverage) { InLibraryOrder = useRecsModel ? ordered : null };
    }

    private static AudioFeatures Predict(TrackMetadata t)
    {
        var d = (t.DurationMs ?? 200_000) / 1000.0;
        return new AudioFeatures(60 + d % 120, 0.5, 0.5, 0.5, -8);
    }
}
