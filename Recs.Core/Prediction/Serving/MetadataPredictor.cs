using System.Buffers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Recs.Core.Catalog;
using Recs.Core.Prediction.Featurization;

namespace Recs.Core.Prediction.Serving;

/// <summary>
/// Predicts the five audio features from metadata with one model version's regressors. Thread-safe and batched:
/// a batch is featurized into one flat matrix and each regressor scores it in one pass; a track's prediction does not
/// depend on the other tracks of its batch.
/// <para>
/// Scoring path, per regressor, chosen once when the predictor is built: tree ensembles (LightGBM — the default —
/// FastTree, FastForest, with or without the mean imputation in front) are evaluated by
/// <see cref="CompiledTreeEnsemble"/> straight from the matrix, with ML.NET's exact branch and NaN semantics; any
/// other model (SDCA) or one that fails to compile goes through ML.NET's <c>Transform</c> and a row cursor.
/// </para>
/// </summary>
public sealed class MetadataPredictor : IAudioFeaturePredictor
{
    private readonly MLContext _ml;
    private readonly IReadOnlyList<ITransformer> _models;

    // Per feature: the compiled trees, or null to score with ML.NET (the reason is in ScoringPaths).
    private readonly CompiledTreeEnsemble?[] _compiled;

    // Built once: SchemaDefinition.Create reflects over the row type, which is per-call overhead on small batches.
    private readonly SchemaDefinition _schema;

    public MetadataPredictor(MLContext ml, MetadataFeaturizer featurizer, IReadOnlyList<ITransformer> models, SpreadCalibration? calibration = null)
        : this(ml, featurizer, models, calibration, compileTrees: true)
    {
    }

    /// <summary>As the public constructor; <paramref name="compileTrees"/> false keeps every model on ML.NET (tests compare the two).</summary>
    internal MetadataPredictor(MLContext ml, MetadataFeaturizer featurizer, IReadOnlyList<ITransformer> models, SpreadCalibration? calibration, bool compileTrees)
    {
        if (models.Count != AudioFeatures.Count)
        {
            throw new ArgumentException($"expected {AudioFeatures.Count} models, got {models.Count}", nameof(models));
        }

        _ml = ml;
        Featurizer = featurizer;
        _models = models;
        Calibration = calibration ?? SpreadCalibration.None;
        _schema = MetadataSchema.Schema(featurizer.Length);
        _compiled = new CompiledTreeEnsemble?[models.Count];
        var paths = new string[models.Count];
        for (var f = 0; f < models.Count; f++)
        {
            var reason = "not compiled on request";
            _compiled[f] = compileTrees ? CompiledTreeEnsemble.TryCompile(ml, models[f], featurizer.Length, out reason) : null;
            paths[f] = _compiled[f] is { } c ? $"compiled trees ({c.Trees})" : $"ML.NET Transform: {reason}";
        }

        ScoringPaths = paths;
    }

    public MetadataFeaturizer Featurizer { get; }

    /// <summary>
    /// Stretch of predictions away from the mean that undoes the regressors' shrinkage (measured at training); it
    /// gives <see cref="FeaturePrediction.ClusterFeatures"/>, while <see cref="FeaturePrediction.Features"/> stays the
    /// least-squares estimate.
    /// </summary>
    public SpreadCalibration Calibration { get; }

    /// <summary>How each feature's regressor is scored, in <see cref="AudioFeatures.Names"/> order (for logs and tests).</summary>
    public IReadOnlyList<string> ScoringPaths { get; }

    /// <inheritdoc />
    public IReadOnlyList<FeaturePrediction> Predict(IReadOnlyList<TrackMetadata> tracks) => Predict(tracks, null);

    /// <summary>
    /// Predicts with each track's own features (when given) taken out of its artist's catalog mean — for evaluating on
    /// tracks that are in the catalog without letting the catalog's copy of their features in.
    /// </summary>
    public IReadOnlyList<FeaturePrediction> Predict(IReadOnlyList<TrackMetadata> tracks, IReadOnlyList<AudioFeatures?>? ownFeatures)
    {
        if (tracks.Count == 0)
        {
            return [];
        }

        // Large batches are cut into one chunk per core; every track's result depends on that track only, so the
        // split changes nothing but the time.
        var result = new FeaturePrediction[tracks.Count];
        var chunks = tracks.Count < 4096 ? 1 : Math.Max(1, Environment.ProcessorCount);
        var size = (tracks.Count + chunks - 1) / chunks;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
            PredictRange(tracks, ownFeatures, c * size, Math.Min(tracks.Count, (c + 1) * size), result));
        return result;
    }

    private void PredictRange(IReadOnlyList<TrackMetadata> tracks, IReadOnlyList<AudioFeatures?>? ownFeatures, int from, int to, FeaturePrediction[] result)
    {
        var length = Featurizer.Length;
        var count = to - from;
        var tiers = new ConfidenceTier[count];
        float[][] scores;

        // A chunk's inputs are ~1.5 MB: pooled, because a fresh large-object-heap array per call is slow to get
        // while a background GC runs (the app's heap is large after training).
        var rows = ArrayPool<float>.Shared.Rent(count * length);
        try
        {
            for (var i = 0; i < count; i++)
            {
                tiers[i] = Featurizer.Featurize(tracks[from + i], rows.AsSpan(i * length, length), ownFeatures?[from + i]);
            }

            scores = ScoreRows(rows, count);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rows);
        }

        Span<double> v = stackalloc double[AudioFeatures.Count];
        Span<double> c = stackalloc double[AudioFeatures.Count];
        for (var i = 0; i < count; i++)
        {
            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                v[f] = scores[f][i];
                c[f] = Calibration.Apply(f, v[f]);
            }

            result[from + i] = new FeaturePrediction(Clamp(AudioFeatures.FromSpan(v)), tiers[i], Clamp(AudioFeatures.FromSpan(c)));
        }
    }

    /// <summary>Predicts one track (the same result as in a batch).</summary>
    public FeaturePrediction Predict(TrackMetadata track) => Predict([track])[0];

    /// <summary>Raw regressor outputs per feature for the first <paramref name="count"/> featurized rows in <paramref name="rows"/>, stored one after another.</summary>
    internal float[][] ScoreRows(float[] rows, int count)
    {
        var length = Featurizer.Length;
        var scores = new float[AudioFeatures.Count][];
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            scores[f] = new float[count];
        }

        // Model by model over all rows: a model's splits (~150 KB for 300 trees) stay in the core's cache meanwhile.
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            _compiled[f]?.Score(rows.AsSpan(0, count * length), scores[f]);
        }

        if (Array.IndexOf(_compiled, null) >= 0)
        {
            var view = MetadataSchema.ToDataView(_ml, Enumerable.Range(0, count).Select(i => rows[(i * length)..((i + 1) * length)]).ToList(), null, 0, _schema);
            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                if (_compiled[f] is null)
                {
                    ScoreWithMLNet(_models[f], view, scores[f]);
                }
            }
        }

        return scores;
    }

    private static void ScoreWithMLNet(ITransformer model, IDataView view, float[] values)
    {
        // A cursor straight into a sized array: GetColumn's enumerable plus ToArray grows and copies a list.
        var scored = model.Transform(view);
        var column = scored.Schema[MetadataSchema.ScoreColumn];
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<float>(column);
        var score = 0f;
        for (var i = 0; cursor.MoveNext(); i++)
        {
            getter(ref score);
            values[i] = score;
        }
    }

    /// <summary>Keeps predictions inside Spotify's ranges.</summary>
    internal static AudioFeatures Clamp(AudioFeatures f) => new(
        Math.Clamp(f.Tempo, 30, 250),
        Math.Clamp(f.Energy, 0, 1),
        Math.Clamp(f.Danceability, 0, 1),
        Math.Clamp(f.Valence, 0, 1),
        Math.Clamp(f.Loudness, FeatureRanges.LoudnessMin, FeatureRanges.LoudnessMax));
}

/// <summary>
/// Per-feature linear stretch around a centre: <c>centre + factor × (prediction − centre)</c>. Regressors shrink
/// towards the mean, which pulls predicted tracks into the central clusters; stretching back (measured on held-out
/// artists) restores the spread. Factor 1 leaves predictions unchanged.
/// </summary>
public sealed record SpreadCalibration(double[] Centre, double[] Factor)
{
    public static readonly SpreadCalibration None = new(new double[AudioFeatures.Count], [1, 1, 1, 1, 1]);

    public double Apply(int feature, double prediction) => Centre[feature] + (Factor[feature] * (prediction - Centre[feature]));
}
