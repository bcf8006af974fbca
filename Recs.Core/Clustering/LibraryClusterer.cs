using Recs.Core.Catalog;
using Recs.Core.Models;
using Recs.Core.Prediction;
using Recs.Core.RealFeatures;
using Recs.Core.Prediction.Serving;

namespace Recs.Core.Clustering;

/// <summary>
/// Clusters a listener's library with one model version (docs/contracts.md §Pipeline items 5 and 7; the result of §HTTP). For each track, the first
/// source that knows its real features wins:
/// <list type="number">
/// <item>the listener's own file — <see cref="TrackMetadata.KnownFeatures"/> (source <c>file</c>);</item>
/// <item>the catalog — the model's lookup by Spotify id, then by normalised primary artist + title (<see cref="TextKeys"/>),
/// counted separately in <see cref="Coverage.MatchedById"/> and <see cref="Coverage.MatchedByArtistTitle"/>; then
/// <c>known</c> entries of source <c>catalog</c> (catalog tracks added after training);</item>
/// <item>a features service — <c>known</c> entries of source <c>service</c>;</item>
/// <item>prediction — when <c>useRecsModel</c> is on and the model has a predictor, every other track (local files and
/// tracks without an id included) is predicted in ONE batch call, corrected by the library's check set (below), then
/// assigned to the nearest centroid;</item>
/// <item>anything else is listed as unclustered (so with <c>useRecsModel</c> off only real features are clustered).</item>
/// </list>
/// The check set: when predictions are used, the tracks with real features are predicted as if unknown too; how often
/// that gives their true cluster is reported (<see cref="ClusteringResult.CheckSet"/>), and their mean error per feature,
/// shrunk by their number (<see cref="PredictionCorrection"/>), corrects the predicted tracks. Thread-safe (stateless).
/// </summary>
public sealed class LibraryClusterer
{
    /// <summary>Value of <see cref="ClusteredTrack.Match"/> for a track found in the catalog by Spotify id.</summary>
    public const string MatchById = "id";

    /// <summary>Value of <see cref="ClusteredTrack.Match"/> for a track found by primary artist + title.</summary>
    public const string MatchByArtistTitle = "artist_title";

    /// <summary>Clusters <paramref name="library"/> with <paramref name="model"/>; tracks keep their order within each cluster.</summary>
    /// <param name="model">The model version.</param>
    /// <param name="library">The library's tracks.</param>
    /// <param name="useRecsModel">False clusters only tracks with real features.</param>
    /// <param name="known">Real features from outside the file and the model's catalog, by Spotify id (may be null).</param>
    /// <param name="shrinkage">The k of the check-set correction's n/(n+k); 0 or less turns the correction off.</param>
    public ClusteringResult Cluster(
        RecsModel model,
        IReadOnlyList<TrackMetadata> library,
        bool useRecsModel,
        IReadOnlyDictionary<string, KnownTrackFeatures>? known = null,
        double shrinkage = PredictionCorrection.DefaultShrinkage)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(library);
        var n = library.Count;
        var k = model.Clusters.K;
        var clusters = new int[n];
        var features = new AudioFeatures[n];
        var sources = new FeatureSource[n];
        var matches = new string?[n];
        var catalogIndex = new int[n]; // the model catalog's row of the track, or -1 (the check set's leave-one-out)
        var tiers = new ConfidenceTier[n];
        List<int>? pending = null;
        List<int>? real = null;
        int byId = 0, byArtistTitle = 0, fromFile = 0, fromCatalog = 0, fromService = 0;

        for (var i = 0; i < n; i++)
        {
            var track = library[i];
            catalogIndex[i] = -1;
            int index;
            string? match = null;
            if (track.Id is { Length: > 0 } id && model.Catalog.TryGetIndex(id, out index))
            {
                match = MatchById;
            }
            else if (model.Catalog.TryGetByArtistTitle(TextKeys.Normalize(track.PrimaryArtist), TextKeys.Title(track.Name), out index))
            {
                match = MatchByArtistTitle;
            }

            if (match is not null)
            {
                catalogIndex[i] = index;
            }

            if (track.KnownFeatures is { } own && IsUsable(own))
            {
                sources[i] = FeatureSource.File;
                features[i] = own;
                fromFile++;
            }
            else if (match is not null)
            {
                sources[i] = FeatureSource.Catalog;
                features[i] = model.Catalog.Features(index);
                matches[i] = match;
                fromCatalog++;
                if (match == MatchById)
                {
                    byId++;
                }
                else
                {
                    byArtistTitle++;
                }
            }
            else if (known is not null && track.Id is { Length: > 0 } knownId && known.TryGetValue(knownId, out var found) && IsUsable(found.Features))
            {
                sources[i] = found.Source == FeatureSource.Service ? FeatureSource.Service : FeatureSource.Catalog;
                features[i] = found.Features;
                if (sources[i] == FeatureSource.Catalog)
                {
                    matches[i] = MatchById;
                    fromCatalog++;
                    byId++;
                }
                else
                {
                    fromService++;
                }
            }
            else
            {
                clusters[i] = -1;
                sources[i] = FeatureSource.Predicted;
                (pending ??= []).Add(i);
                continue;
            }

            // The model's catalog already knows its tracks' clusters.
            clusters[i] = matches[i] is not null && sources[i] == FeatureSource.Catalog && catalogIndex[i] >= 0
                ? model.Catalog.Cluster(catalogIndex[i])
                : model.Clusters.Assign(features[i]);
            (real ??= []).Add(i);
        }

        var predicted = 0;
        var tierCounts = new int[Enum.GetValues<ConfidenceTier>().Length];
        CheckSetReport? checkSet = null;
        if (useRecsModel && model.Predictor is { } predictor && (pending is { Count: > 0 } || real is { Count: > 0 }))
        {
            // One batch: the tracks to predict, then the check set predicted as if its features were unknown.
            var pendingCount = pending?.Count ?? 0;
            var realCount = real?.Count ?? 0;
            var batch = new TrackMetadata[pendingCount + realCount];
            var own = new AudioFeatures?[batch.Length];
            for (var p = 0; p < pendingCount; p++)
            {
                batch[p] = library[pending![p]];
            }

            for (var r = 0; r < realCount; r++)
            {
                var i = real![r];
                batch[pendingCount + r] = library[i] with { KnownFeatures = null };

                // A catalog track is predicted without its own catalog features in its artist's and genres' means.
                own[pendingCount + r] = catalogIndex[i] >= 0 ? model.Catalog.Features(catalogIndex[i]) : null;
            }

            var predictions = predictor is MetadataPredictor metadata ? metadata.Predict(batch, own) : predictor.Predict(batch);
            if (predictions.Count != batch.Length)
            {
                throw new InvalidOperationException($"the predictor returned {predictions.Count} predictions for {batch.Length} tracks");
            }

            var correction = PredictionCorrection.None;
            if (realCount > 0)
            {
                var truth = new AudioFeatures[realCount];
                var checkPredictions = new FeaturePrediction[realCount];
                for (var r = 0; r < realCount; r++)
                {
                    truth[r] = features[real![r]];
                    checkPredictions[r] = predictions[pendingCount + r];
                }

                checkSet = RealFeatures.CheckSet.Measure(model.Clusters, truth, checkPredictions, Math.Max(0, shrinkage));
                if (shrinkage > 0)
                {
                    correction = checkSet.Correction;
                }
                else
                {
                    checkSet = checkSet with { Correction = PredictionCorrection.None };
                }
            }

            for (var p = 0; p < pendingCount; p++)
            {
                var i = pending![p];
                var prediction = correction.Apply(predictions[p]);
                features[i] = prediction.Features;
                clusters[i] = model.Clusters.Assign(prediction.ForClustering);
                tiers[i] = prediction.Tier;
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

        var unclustered = new List<ClusteredTrack>((pending?.Count ?? 0) - predicted);
        // With the switch on, the tracks in the library's order too, so the switched-off clustering can be derived from
        // this one (ClusteringResult.WithoutPredictions) instead of reading and clustering the library again.
        var ordered = useRecsModel ? new ClusteredTrack[n] : null;
        for (var i = 0; i < n; i++)
        {
            var t = library[i];
            var c = clusters[i];
            ClusteredTrack track;
            if (c < 0)
            {
                track = new ClusteredTrack(t.Id, t.Name, t.Artists, null, null);
                unclustered.Add(track);
            }
            else
            {
                track = sources[i] == FeatureSource.Predicted
                    ? new ClusteredTrack(t.Id, t.Name, t.Artists, features[i], FeatureSource.Predicted, tiers[i], c)
                    : new ClusteredTrack(t.Id, t.Name, t.Artists, features[i], sources[i], null, c, matches[i]);
                members[c].Add(track);
            }

            if (ordered is not null)
            {
                ordered[i] = track;
            }
        }

        var groups = new List<ClusterGroup>();
        for (var c = 0; c < k; c++)
        {
            if (sizes[c] > 0)
            {
                groups.Add(new ClusterGroup(c, model.Clusters.Names[c], sizes[c], Round(model.Clusters.Centroids[c]), members[c]));
            }
        }

        var clustered = fromFile + fromCatalog + fromService + predicted;
        var tierDictionary = new Dictionary<ConfidenceTier, int>();
        foreach (var tier in Enum.GetValues<ConfidenceTier>())
        {
            tierDictionary[tier] = tierCounts[(int)tier];
        }

        var coverage = new Coverage(
            n,
            clustered,
            Coverage.Percent(clustered, n),
            fromCatalog,
            predicted,
            byId,
            byArtistTitle,
            tierDictionary)
        {
            FromFile = fromFile,
            FromService = fromService,
        };
        return new ClusteringResult(model.VersionId, useRecsModel, groups, unclustered, coverage) { CheckSet = checkSet, InLibraryOrder = ordered };
    }

    // A file row or service answer is used only when all five features are numbers (tempo 0 = not detected is kept,
    // as the catalog keeps it).
    private static bool IsUsable(AudioFeatures f) =>
        double.IsFinite(f.Tempo) && double.IsFinite(f.Energy) && double.IsFinite(f.Danceability) && double.IsFinite(f.Valence) && double.IsFinite(f.Loudness);

    // Centroids are averages: a listener reads 128.1 BPM and 0.81, not 15 decimals.
    private static AudioFeatures Round(AudioFeatures f) =>
        new(Math.Round(f.Tempo, 1), Math.Round(f.Energy, 3), Math.Round(f.Danceability, 3), Math.Round(f.Valence, 3), Math.Round(f.Loudness, 2));
}
