using Recs.Core.Catalog;
using Recs.Core.Clustering;
using Recs.Core.Prediction.Serving;
using Recs.Core.RealFeatures;

namespace Recs.Core.Prediction.Training;

/// <summary>One group of <c>evaluate</c>'s result (docs/contracts.md §CLI), plus the confidence tiers of its predictions.</summary>
public sealed record LibraryEvaluationGroup(
    int Tracks,
    double ClusterAgreement,
    double MajorityClusterRate,
    double BaselineClusterAgreement,
    IReadOnlyDictionary<string, FeatureMetric> Features,
    IReadOnlyDictionary<string, int> Tiers)
{
    /// <summary>Cluster agreement expected by chance from the marginals (Cohen's p<sub>e</sub>, see <see cref="ClusterAgreementStats"/>).</summary>
    public double ChanceAgreement { get; init; }

    /// <summary>Cohen's kappa of predicted vs true clusters: (agreement − chance) / (1 − chance).</summary>
    public double Kappa { get; init; }
}

/// <summary>The <c>evaluate</c> verb's result (docs/contracts.md §CLI).</summary>
public sealed record LibraryEvaluation(
    string ModelVersion,
    string Profile,
    LibraryEvaluationGroup InCatalog,
    LibraryEvaluationGroup NotInCatalog,
    int RowsRead,
    int TracksWithFeatures)
{
    /// <summary>
    /// The per-library correction's gain on held-out tracks (every track with features, both groups): the known
    /// tracks are split in two folds; each fold is corrected with the mean error of the other, shrunk by n/(n+k).
    /// </summary>
    public CorrectionGain? Correction { get; init; }

    /// <summary>Rows of the file folded into an earlier row of the same track before evaluating.</summary>
    public int DuplicatesMerged { get; init; }
}

/// <summary>
/// Evaluates the metadata model on a library file that carries true audio features: every track is predicted from
/// its metadata only (its true features and the catalog's copy of them ignored), separately for tracks in and not in
/// the catalog, next to the simple rule's baseline on the same clusters.
/// </summary>
public static class LibraryEvaluator
{
    public static LibraryEvaluation Evaluate(
        string modelVersion,
        ClusterModel clusterModel,
        CatalogClusterLookup lookup,
        MetadataPredictor predictor,
        IReadOnlyList<TrackMetadata> tracks,
        int rowsRead,
        string profile,
        double shrinkage = PredictionCorrection.DefaultShrinkage)
    {
        var withFeatures = tracks.Where(t => t.KnownFeatures is { } f && double.IsFinite(f.Energy)).ToList();
        var inCatalog = new List<(TrackMetadata Track, AudioFeatures? Own)>();
        var notInCatalog = new List<(TrackMetadata Track, AudioFeatures? Own)>();
        foreach (var t in withFeatures)
        {
            var index = -1;
            var found = (t.Id is { Length: > 0 } id && lookup.TryGetIndex(id, out index))
                || lookup.TryGetByArtistTitle(TextKeys.Normalize(t.PrimaryArtist), TextKeys.Title(t.Name), out index);
            if (found)
            {
                inCatalog.Add((t, lookup.Features(index)));
            }
            else
            {
                notInCatalog.Add((t, null));
            }
        }

        var (inGroup, inPredictions) = Group(clusterModel, predictor, inCatalog, profile);
        var (outGroup, outPredictions) = Group(clusterModel, predictor, notInCatalog, profile);

        // The correction, measured as a listener would get it: fitted on known tracks, applied to others (held out).
        var all = inCatalog.Concat(notInCatalog).ToList();
        var correction = CheckSet.HeldOutGain(
            clusterModel,
            all.Select((g, i) => g.Track.Id is { Length: > 0 } id ? id : $"{g.Track.PrimaryArtist}\u001f{g.Track.Name}\u001f{i}").ToList(),
            all.Select(g => g.Track.KnownFeatures!.Value).ToList(),
            inPredictions.Concat(outPredictions).ToList(),
            shrinkage);
        return new LibraryEvaluation(modelVersion, profile, inGroup, outGroup, rowsRead, withFeatures.Count) { Correction = correction };
    }

    private static (LibraryEvaluationGroup Group, IReadOnlyList<FeaturePrediction> Predictions) Group(
        ClusterModel clusterModel, MetadataPredictor predictor, List<(TrackMetadata Track, AudioFeatures? Own)> group, string profile)
    {
        // What the model may see: metadata only, as the profile delivers it.
        var metadata = group.Select(g => InputProfiles.Apply(g.Track with { KnownFeatures = null }, profile)).ToList();
        var own = group.Select(g => g.Own).ToList();
        var predictions = predictor.Predict(metadata, own);
        var truth = group.Select(g => g.Track.KnownFeatures!.Value).ToList();
        var predicted = predictions.Select(p => p.Features).ToList();
        var baseline = metadata.Select((m, i) => predictor.Featurizer.SimpleRule(m, own[i])).ToList();
        var known = Enumerable.Range(0, truth.Count).Where(i => truth[i].HasTempo).ToList();

        // Clusters are assigned as the product assigns them (calibrated); the features are scored as shown (raw).
        var agreement = ClusterAgreement.Compute(
            known.Select(i => truth[i]).ToList(), known.Select(i => predictions[i].ForClustering).ToList(), known.Select(i => baseline[i]).ToList(), clusterModel.Assign);
        var chance = CheckSet.Agreement(clusterModel, truth, predictions, null);
        return (new LibraryEvaluationGroup(
            group.Count,
            Nan0(agreement.Agreement),
            Nan0(agreement.MajorityClusterRate),
            Nan0(agreement.BaselineAgreement),
            FeatureMetric.PerFeature(truth, predicted),
            predictions.GroupBy(p => p.Tier).ToDictionary(g => g.Key.SnakeName(), g => g.Count()))
        {
            ChanceAgreement = chance.ChanceAgreement,
            Kappa = chance.Kappa,
        }, predictions);
    }

    // An empty group has no agreement; 0 keeps the JSON numeric for scripts.
    private static double Nan0(double v) => double.IsNaN(v) ? 0 : v;
}
