using Recs.Core.Catalog;
using Recs.Core.Models;

namespace Recs.Core.Clustering;

/// <summary>
/// Clusters a listener's library with one model version (docs/contracts.md §Pipeline item 5; the result of §HTTP):
/// <list type="number">
/// <item>catalog fast path — by Spotify id, then by normalised primary artist + title (<see cref="TextKeys"/>), counted
/// separately in <see cref="Coverage.MatchedById"/> and <see cref="Coverage.MatchedByArtistTitle"/>;</item>
/// <item>prediction path — when <c>useRecsModel</c> is on and the model has a predictor, every other track (local
/// files and tracks without an id included) is predicted in ONE batch call, then assigned to the nearest centroid;</item>
/// <item>anything else is listed as unclustered.</item>
/// </list>
/// A file's own <see cref="TrackMetadata.KnownFeatures"/> are deliberately ignored: they are the ground truth the
/// <c>evaluate</c> verb measures predictions against, not a clustering input, so a library clusters the same whether or
/// not its export still carries audio features. Thread-safe (stateless).
/// </summary>
public sealed class LibraryClusterer
{
    /// <summary>Value of <see cref="ClusteredTrack.Match"/> for a track found in the catalog by Spotify id.</summary>
    public const string MatchById = "id";

    /// <summary>Value of <see cref="ClusteredTrack.Match"/> for a track found by primary artist + title.</summary>
    public const string MatchByArtistTitle = "artist_title";

    /// <summary>Clusters <paramref name="library"/> with <paramref name="model"/>; tracks keep their order within each cluster.</summary>
    public ClusteringResult Cluster(RecsModel model, IReadOnlyList<TrackMetadata> library, bool useRecsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(library);
        var n = library.Count;
        var k = model.Clusters.K;
        var clusters = new int[n];
        var features = new AudioFeatures[n];
        var matches = new byte[n]; // 0 none, 1 id, 2 artist + title, 3 predicted
        var tiers = new ConfidenceTier[n];
        List<int>? pending = null;
        int byId = 0, byArtistTitle = 0;

        for (var i = 0; i < n; i++)
        {
            var track = library[i];
            int index;
            if (track.Id is { Length: > 0 } id && model.Catalog.TryGetIndex(id, out index))
            {
                matches[i] = 1;
                byId++;
            }
            else if (model.Catalog.TryGetByArtistTitle(TextKeys.Normalize(track.PrimaryArtist), TextKeys.Title(track.Name), out index))
            {
                matches[i] = 2;
                byArtistTitle++;
            }
            else
            {
                clusters[i] = -1;
                (pending ??= []).Add(i);
                continue;
            }

            clusters[i] = model.Catalog.Cluster(index);
            features[i] = model.Catalog.Features(index);
        }

        var predicted = 0;
        var tierCounts = new int[Enum.GetValues<ConfidenceTier>().Length];
        if (useRecsModel && model.Predictor is { } predictor && pending is { Count: > 0 })
        {
            var batch = new TrackMetadata[pending.Count];
            for (var p = 0; p < batch.Length; p++)
            {
                batch[p] = library[pending[p]];
            }

            var predictions = predictor.Predict(batch);
            if (predictions.Count != batch.Length)
            {
                throw new InvalidOperationException($"the predictor returned {predictions.Count} predictions for {batch.Length} tracks");
            }

            for (var p = 0; p < batch.Length; p++)
            {
                var i = pending[p];
                var prediction = predictions[p];
                features[i] = prediction.Features;
                clusters[i] = model.Clusters.Assign(prediction.ForClustering);
                tiers[i] = prediction.Tier;
                matches[i] = 3;
                tierCounts[(int)prediction.Tier]++;
                predicted++;
            }
        }

        // Group: one pass to size the lists, one to fill them (no per-track LINQ).
        var sizes = new int[k];
        for (var i = 0; i < n; i++)
        {
            if (clusters[i] >= 0)
            {
                sizes[clusters[i]]++;
            }
        }

        var members = new List<ClusteredTrack>[k];
        for (var c = 0; c < k; c++)
        {
            members[c] = new List<ClusteredTrack>(sizes[c]);
        }

        var unclustered = new List<ClusteredTrack>(pending?.Count - predicted ?? 0);
        for (var i = 0; i < n; i++)
        {
            var t = library[i];
            var c = clusters[i];
            if (c < 0)
            {
                unclustered.Add(new ClusteredTrack(t.Id, t.Name, t.Artists, null, null));
                continue;
            }

            members[c].Add(matches[i] == 3
                ? new ClusteredTrack(t.Id, t.Name, t.Artists, features[i], FeatureSource.Predicted, tiers[i], c)
                : new ClusteredTrack(t.Id, t.Name, t.Artists, features[i], FeatureSource.Catalog, null, c, matches[i] == 1 ? MatchById : MatchByArtistTitle));
        }

        var groups = new List<ClusterGroup>();
        for (var c = 0; c < k; c++)
        {
            if (sizes[c] > 0)
            {
                groups.Add(new ClusterGroup(c, model.Clusters.Names[c], sizes[c], Round(model.Clusters.Centroids[c]), members[c]));
            }
        }

        var clustered = byId + byArtistTitle + predicted;
        var tierDictionary = new Dictionary<ConfidenceTier, int>();
        foreach (var tier in Enum.GetValues<ConfidenceTier>())
        {
            tierDictionary[tier] = tierCounts[(int)tier];
        }

        var coverage = new Coverage(
            n,
            clustered,
            n == 0 ? 100.0 : Math.Round(100.0 * clustered / n, 1, MidpointRounding.AwayFromZero),
            byId + byArtistTitle,
            predicted,
            byId,
            byArtistTitle,
            tierDictionary);
        return new ClusteringResult(model.VersionId, useRecsModel, groups, unclustered, coverage);
    }

    // Centroids are averages: a listener reads 128.1 BPM and 0.81, not 15 decimals.
    private static AudioFeatures Round(AudioFeatures f) =>
        new(Math.Round(f.Tempo, 1), Math.Round(f.Energy, 3), Math.Round(f.Danceability, 3), Math.Round(f.Valence, 3), Math.Round(f.Loudness, 2));
}
