using Microsoft.ML;
using Recs.Core.Catalog;
using Recs.Core.Prediction.Featurization;
using Recs.Core.Prediction.Serving;

namespace Recs.Core.Prediction.Training;

/// <summary>Input profiles that exist in practice (docs/contracts.md §Evaluation).</summary>
public static class InputProfiles
{
    /// <summary>Full metadata (Extended Quota).</summary>
    public const string Full = "full";

    /// <summary>No popularity and no genres from Spotify (Development Mode); the offline artist table still answers.</summary>
    public const string Development = "development";

    public static readonly IReadOnlyList<string> All = [Full, Development];

    /// <summary>The metadata as the profile would deliver it.</summary>
    public static TrackMetadata Apply(TrackMetadata track, string profile) => profile switch
    {
        Full => track,
        Development => track with { Popularity = null, Genres = [] },
        _ => throw new ArgumentException($"unknown profile '{profile}' (known: {string.Join(", ", All)})", nameof(profile)),
    };
}

/// <summary>MAE (native units) and R² of one feature.</summary>
public sealed record FeatureMetric(double Mae, double R2)
{
    /// <summary>Computes the metric over pairs whose truth is known.</summary>
    public static FeatureMetric Compute(IReadOnlyList<double> truth, IReadOnlyList<double> predicted)
    {
        var n = truth.Count;
        if (n == 0)
        {
            return new FeatureMetric(double.NaN, double.NaN);
        }

        var mean = truth.Average();
        double abs = 0, ssRes = 0, ssTot = 0;
        for (var i = 0; i < n; i++)
        {
            abs += Math.Abs(truth[i] - predicted[i]);
            ssRes += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
            ssTot += (truth[i] - mean) * (truth[i] - mean);
        }

        return new FeatureMetric(Math.Round(abs / n, 4), ssTot > 0 ? Math.Round(1 - (ssRes / ssTot), 4) : double.NaN);
    }

    /// <summary>Per-feature metrics of predictions against true features (tempo only where detected).</summary>
    public static Dictionary<string, FeatureMetric> PerFeature(IReadOnlyList<AudioFeatures> truth, IReadOnlyList<AudioFeatures> predicted)
    {
        var result = new Dictionary<string, FeatureMetric>();
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            var t = new List<double>();
            var p = new List<double>();
            for (var i = 0; i < truth.Count; i++)
            {
                if (FeatureStatistics.IsKnown(truth[i], f))
                {
                    t.Add(truth[i][f]);
                    p.Add(predicted[i][f]);
                }
            }

            result[AudioFeatures.Names[f]] = Compute(t, p);
        }

        return result;
    }
}

/// <summary>Cluster agreement of predictions: the share of tracks whose predicted cluster equals their true one.</summary>
public sealed record ClusterAgreement(double Agreement, double MajorityClusterRate, double BaselineAgreement)
{
    public static ClusterAgreement Compute(IReadOnlyList<AudioFeatures> truth, IReadOnlyList<AudioFeatures> predicted, IReadOnlyList<AudioFeatures> baseline, Func<AudioFeatures, int> assign)
    {
        if (truth.Count == 0)
        {
            return new ClusterAgreement(double.NaN, double.NaN, double.NaN);
        }

        var trueClusters = truth.Select(assign).ToArray();
        var agree = 0;
        var agreeBaseline = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            agree += assign(predicted[i]) == trueClusters[i] ? 1 : 0;
            agreeBaseline += assign(baseline[i]) == trueClusters[i] ? 1 : 0;
        }

        var majority = trueClusters.GroupBy(c => c).Max(g => g.Count());
        return new ClusterAgreement(
            Math.Round((double)agree / truth.Count, 4),
            Math.Round((double)majority / truth.Count, 4),
            Math.Round((double)agreeBaseline / truth.Count, 4));
    }
}

/// <summary>How one input profile did on a test set.</summary>
public sealed record ProfileReport(
    int Tracks,
    Dictionary<string, FeatureMetric> Features,
    double ClusterAgreement,
    double MajorityClusterRate,
    double BaselineClusterAgreement,
    double UncalibratedClusterAgreement,
    Dictionary<string, Dictionary<string, FeatureMetric>> Baselines,
    Dictionary<string, double> BaselineClusterAgreements,
    Dictionary<string, int> Tiers);

/// <summary>One split's evaluation: train/test sizes and each profile's report.</summary>
public sealed record SplitReport(string Kind, int TrainTracks, int TestTracks, int TestArtists, Dictionary<string, ProfileReport> Profiles);

/// <summary>
/// Honest evaluation of the metadata model (docs/contracts.md §Evaluation): an artist-grouped split (no artist on both sides) and a random
/// one, each model next to the global-, genre- and artist-mean baselines, for both input profiles.
/// </summary>
public static class MetadataEvaluation
{
    /// <summary>Splits by main artist: every artist's tracks go to the same side.</summary>
    public static (List<TrainingExample> Train, List<TrainingExample> Test) GroupedSplit(IReadOnlyList<TrainingExample> examples, double testFraction, int seed)
    {
        var train = new List<TrainingExample>();
        var test = new List<TrainingExample>();
        foreach (var e in examples)
        {
            (Hash(TextKeys.Normalize(e.Metadata.PrimaryArtist), seed) < testFraction ? test : train).Add(e);
        }

        return (train, test);
    }

    /// <summary>Splits by track ("artist seen").</summary>
    public static (List<TrainingExample> Train, List<TrainingExample> Test) RandomSplit(IReadOnlyList<TrainingExample> examples, double testFraction, int seed)
    {
        var train = new List<TrainingExample>();
        var test = new List<TrainingExample>();
        foreach (var e in examples)
        {
            (Hash(e.Metadata.Id ?? e.Metadata.Name + "|" + e.Metadata.PrimaryArtist, seed + 1) < testFraction ? test : train).Add(e);
        }

        return (train, test);
    }

    /// <summary>
    /// Trains on <paramref name="train"/>, predicts <paramref name="test"/> from metadata only (each profile), and
    /// compares with the baselines. The spread calibration (see <see cref="SpreadCalibration"/>) is cross-fitted: it is
    /// fitted on one half of the test artists and scored on the other, and the other way round, so that the reported
    /// cluster agreement never sees the tracks its calibration was chosen on. The calibration returned for the model
    /// is fitted on the whole test side.
    /// </summary>
    public static (SplitReport Report, SpreadCalibration Calibration) EvaluateSplit(
        string kind,
        IReadOnlyList<TrainingExample> train,
        IReadOnlyList<TrainingExample> test,
        IReadOnlyList<ArtistProfile> artists,
        MetadataTrainingOptions options,
        Func<AudioFeatures, int> assign,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var models = MetadataModelTrainer.Train(new TrainingData(train, artists), options, progress, cancellationToken);
        return EvaluateModels(kind, train.Count, models, test, options, assign, cancellationToken);
    }

    /// <summary>
    /// The evaluation half of <see cref="EvaluateSplit"/>, for models already fitted on the
    /// <paramref name="trainTracks"/> training tracks of the split.
    /// </summary>
    public static (SplitReport Report, SpreadCalibration Calibration) EvaluateModels(
        string kind,
        int trainTracks,
        MetadataModels models,
        IReadOnlyList<TrainingExample> test,
        MetadataTrainingOptions options,
        Func<AudioFeatures, int> assign,
        CancellationToken cancellationToken = default)
    {
        var raw = new MetadataPredictor(new MLContext(options.Seed), models.Featurizer, models.Models);
        var truth = test.Select(e => e.Features).ToList();
        var half = test.Select(e => Hash(TextKeys.Normalize(e.Metadata.PrimaryArtist), options.Seed + 2) < 0.5).ToArray();
        SpreadCalibration? calibration = null;
        var crossFitted = new SpreadCalibration[2];
        var profiles = new Dictionary<string, ProfileReport>();
        foreach (var profile in InputProfiles.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var metadata = test.Select(e => InputProfiles.Apply(e.Metadata with { Genres = FeatureStatisticsBuilder.TrainingGenres(e) }, profile)).ToList();
            var predictions = raw.Predict(metadata);
            if (calibration is null)
            {
                // Measured once, on the full profile, and applied to both.
                var predicted = predictions.Select(p => p.Features).ToList();
                calibration = FitCalibration(truth, predicted, assign);
                for (var side = 0; side < 2; side++)
                {
                    var on = Enumerable.Range(0, test.Count).Where(i => half[i] == (side == 0)).ToList();
                    crossFitted[side] = FitCalibration(on.Select(i => truth[i]).ToList(), on.Select(i => predicted[i]).ToList(), assign);
                }
            }

            // A track of one half is calibrated with what the other half chose.
            var forClustering = predictions.Select((p, i) => Calibrate(p.Features, crossFitted[half[i] ? 1 : 0])).ToList();
            profiles[profile] = Report(models.Featurizer, metadata, truth, predictions, forClustering, assign);
        }

        var testArtists = test.Select(e => TextKeys.Normalize(e.Metadata.PrimaryArtist)).Distinct().Count();
        return (new SplitReport(kind, trainTracks, test.Count, testArtists, profiles), calibration!);
    }

    /// <summary>
    /// Report of predictions against the truth, with the baselines computed from the same featurizer: the features
    /// as predicted (<see cref="FeaturePrediction.Features"/>), cluster agreement from <paramref name="forClustering"/>
    /// (the calibrated features a cluster is assigned with; null for the raw ones).
    /// </summary>
    public static ProfileReport Report(
        MetadataFeaturizer featurizer,
        IReadOnlyList<TrackMetadata> metadata,
        IReadOnlyList<AudioFeatures> truth,
        IReadOnlyList<FeaturePrediction> rawPredictions,
        IReadOnlyList<AudioFeatures>? forClustering,
        Func<AudioFeatures, int> assign)
    {
        var raw = rawPredictions.Select(p => p.Features).ToList();
        var predicted = forClustering ?? raw;
        var stats = featurizer.Statistics;
        var global = new AudioFeatures(stats.GlobalMean[0], stats.GlobalMean[1], stats.GlobalMean[2], stats.GlobalMean[3], stats.GlobalMean[4]);
        var rule = metadata.Select(featurizer.SimpleRule).ToList();
        var genreOnly = metadata.Select(m => featurizer.SimpleRule(m with { Artists = [] })).ToList();
        var table = metadata.Select((m, i) => TableMean(stats, m) ?? rule[i]).ToList();
        var baselines = new Dictionary<string, Dictionary<string, FeatureMetric>>
        {
            ["global_mean"] = FeatureMetric.PerFeature(truth, truth.Select(_ => global).ToList()),
            ["genre_mean"] = FeatureMetric.PerFeature(truth, genreOnly),
            ["artist_mean"] = FeatureMetric.PerFeature(truth, rule),
            ["artist_table_mean"] = FeatureMetric.PerFeature(truth, table),
        };

        // Cluster agreement only where the true cluster is well defined (tempo detected).
        var known = Enumerable.Range(0, truth.Count).Where(i => truth[i].HasTempo).ToList();
        var t = known.Select(i => truth[i]).ToList();
        var agreement = ClusterAgreement.Compute(t, known.Select(i => predicted[i]).ToList(), known.Select(i => rule[i]).ToList(), assign);
        var uncalibrated = ClusterAgreement.Compute(t, known.Select(i => raw[i]).ToList(), known.Select(i => rule[i]).ToList(), assign);
        var baselineAgreements = new Dictionary<string, double>
        {
            ["artist_mean"] = agreement.BaselineAgreement,
            ["genre_mean"] = ClusterAgreement.Compute(t, t, known.Select(i => genreOnly[i]).ToList(), assign).BaselineAgreement,
            ["artist_table_mean"] = ClusterAgreement.Compute(t, t, known.Select(i => table[i]).ToList(), assign).BaselineAgreement,
        };

        var tiers = rawPredictions.GroupBy(p => p.Tier).ToDictionary(g => g.Key.SnakeName(), g => g.Count());
        return new ProfileReport(truth.Count, FeatureMetric.PerFeature(truth, raw), agreement.Agreement, agreement.MajorityClusterRate,
            agreement.BaselineAgreement, uncalibrated.Agreement, baselines, baselineAgreements, tiers);
    }

    /// <summary>
    /// Chooses per-feature stretch factors: between 1 and sd(truth)/sd(prediction), the fraction that gives the best
    /// cluster agreement on these tracks.
    /// </summary>
    public static SpreadCalibration FitCalibration(IReadOnlyList<AudioFeatures> truth, IReadOnlyList<AudioFeatures> predicted, Func<AudioFeatures, int> assign)
    {
        var centre = new double[AudioFeatures.Count];
        var ratio = new double[AudioFeatures.Count];
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            var idx = Enumerable.Range(0, truth.Count).Where(i => FeatureStatistics.IsKnown(truth[i], f)).ToList();
            if (idx.Count < 10)
            {
                ratio[f] = 1;
                continue;
            }

            var p = idx.Select(i => predicted[i][f]).ToList();
            var y = idx.Select(i => truth[i][f]).ToList();
            centre[f] = p.Average();
            var sdP = StdDev(p);
            ratio[f] = sdP > 1e-9 ? Math.Clamp(StdDev(y) / sdP, 1, 3) : 1;
        }

        var known = Enumerable.Range(0, truth.Count).Where(i => truth[i].HasTempo).ToList();
        var best = SpreadCalibration.None;
        var bestScore = -1.0;
        foreach (var lambda in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
        {
            var candidate = new SpreadCalibration(centre, ratio.Select(r => 1 + (lambda * (r - 1))).ToArray());
            var score = known.Count(i => assign(Calibrate(predicted[i], candidate)) == assign(truth[i]));
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        return best;
    }

    internal static AudioFeatures Calibrate(AudioFeatures p, SpreadCalibration c)
    {
        Span<double> v = stackalloc double[AudioFeatures.Count];
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            v[f] = c.Apply(f, p[f]);
        }

        return MetadataPredictor.Clamp(AudioFeatures.FromSpan(v));
    }

    private static AudioFeatures? TableMean(FeatureStatistics stats, TrackMetadata m)
    {
        var key = TextKeys.Normalize(m.PrimaryArtist);
        if (key.Length == 0 || !stats.TableArtists.TryGetValue(key, out var a) || a.Count == 0 || a.Mean.Any(float.IsNaN))
        {
            return null;
        }

        return new AudioFeatures(a.Mean[0], a.Mean[1], a.Mean[2], a.Mean[3], a.Mean[4]);
    }

    private static double StdDev(IReadOnlyList<double> v)
    {
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Count);
    }

    private static double Hash(string key, int seed)
    {
        var h = StableHash.Fnv1a(key, StableHash.OffsetBasis ^ (uint)seed);
        h ^= h >> 15;
        h *= 2246822519u;
        h ^= h >> 13;
        return (h % 1_000_000) / 1_000_000.0;
    }
}
