using System.Text.Json;
using Microsoft.ML;
using Recs.Core.Clustering;
using Recs.Core.Prediction.Featurization;

namespace Recs.Core.Prediction.Serving;

/// <summary>What <see cref="ModelArtifacts.Load"/> reads from a version directory.</summary>
/// <param name="Clusters">Scaler, centroids and names.</param>
/// <param name="Catalog">Every catalog track → cluster + features.</param>
/// <param name="Predictor">The metadata → features predictor, or null when the directory has no complete set of metadata models.</param>
public sealed record LoadedArtifacts(ClusterModel Clusters, CatalogClusterLookup Catalog, MetadataPredictor? Predictor);

/// <summary>
/// The files of one model version (docs/contracts.md §Artifacts): the one place their names are spelt, and the one
/// code that writes them (training) and reads them back (activation, the <see cref="RecsPredictor"/> library API).
/// A version is a plain directory of these files; whoever keeps versions elsewhere (e.g. in a database shared by
/// several instances) stores and restores exactly <see cref="AllFiles"/> and hands this class the directory.
/// </summary>
public sealed class ModelArtifacts(string directory)
{
    /// <summary>The cluster model: scaler, centroids, names (JSON).</summary>
    public const string ClusterModelFile = "cluster_model.json";

    /// <summary>Every catalog track's cluster and features (binary).</summary>
    public const string CatalogLookupFile = "catalog_lookup.bin";

    /// <summary>The featurizer's statistics (<see cref="FeatureStatistics"/>, JSON).</summary>
    public const string FeaturizerFile = "metadata_featurizer.json";

    /// <summary>The ordered input names of the metadata models (JSON array).</summary>
    public const string FeatureNamesFile = "metadata_feature_names.json";

    /// <summary>The spread calibration (<see cref="SpreadCalibration"/>, JSON).</summary>
    public const string CalibrationFile = "metadata_calibration.json";

    /// <summary>The training run's metrics (JSON; also kept in the version's database row).</summary>
    public const string MetricsFile = "metadata_model_metrics.json";

    // The feature names are a plain list: indented like the metrics file.
    private static readonly JsonSerializerOptions NamesJsonOptions = new() { WriteIndented = true };

    /// <summary>The ML.NET model of one audio feature's regressor.</summary>
    public static string MetadataModelFile(string feature) => $"metadata_model_{feature}.zip";

    /// <summary>Every file of a complete version.</summary>
    public static IReadOnlyList<string> AllFiles { get; } =
        [ClusterModelFile, CatalogLookupFile, FeaturizerFile, FeatureNamesFile, CalibrationFile, MetricsFile, .. AudioFeatures.Names.Select(MetadataModelFile)];

    /// <summary>The files without which a version cannot be registered or loaded (it can cluster catalog tracks with them alone).</summary>
    public static IReadOnlyList<string> RequiredFiles { get; } = [ClusterModelFile, CatalogLookupFile];

    /// <summary>The files the metadata predictor needs; without all of them a version has no predictor.</summary>
    public static IReadOnlyList<string> PredictorFiles { get; } = [FeaturizerFile, .. AudioFeatures.Names.Select(MetadataModelFile)];

    /// <summary>The version directory.</summary>
    public string Directory { get; } = directory;

    /// <summary>The path of one of the version's files.</summary>
    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>Which of <paramref name="files"/> the directory lacks.</summary>
    public IReadOnlyList<string> Missing(IEnumerable<string> files) => files.Where(f => !File.Exists(PathOf(f))).ToList();

    /// <summary>Writes the cluster model and the catalog lookup (creating the directory).</summary>
    public void SaveClusters(TrainedClusterModel clusters)
    {
        System.IO.Directory.CreateDirectory(Directory);
        clusters.Model.Save(PathOf(ClusterModelFile));
        clusters.Lookup.Save(PathOf(CatalogLookupFile));
    }

    /// <summary>
    /// Writes the metadata predictor's files: one model per feature (in <see cref="AudioFeatures.Names"/> order), the
    /// featurizer's statistics and input names, and the calibration.
    /// </summary>
    public void SaveMetadataModels(MetadataFeaturizer featurizer, IReadOnlyList<ITransformer> models, DataViewSchema inputSchema, SpreadCalibration calibration)
    {
        if (models.Count != AudioFeatures.Count)
        {
            throw new ArgumentException($"expected {AudioFeatures.Count} models, got {models.Count}", nameof(models));
        }

        System.IO.Directory.CreateDirectory(Directory);
        var ml = new MLContext(seed: 0);
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            ml.Model.Save(models[f], inputSchema, PathOf(MetadataModelFile(AudioFeatures.Names[f])));
        }

        File.WriteAllText(PathOf(FeatureNamesFile), JsonSerializer.Serialize(featurizer.FeatureNames, NamesJsonOptions));
        featurizer.Statistics.Save(PathOf(FeaturizerFile));
        File.WriteAllText(PathOf(CalibrationFile), JsonSerializer.Serialize(calibration));
    }

    /// <summary>Writes the metrics file (the JSON text as given).</summary>
    public void SaveMetrics(string metricsJson)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(PathOf(MetricsFile), metricsJson);
    }

    /// <summary>
    /// Reads the version: the cluster model and the catalog lookup, and the metadata predictor when all of
    /// <see cref="PredictorFiles"/> are there.
    /// </summary>
    /// <exception cref="InvalidDataException">The directory or a required file is missing, or a file is malformed; the message names it.</exception>
    public LoadedArtifacts Load()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new InvalidDataException($"directory not found: {Directory}");
        }

        var clusters = ClusterModel.Load(PathOf(ClusterModelFile));
        var catalog = CatalogClusterLookup.Load(PathOf(CatalogLookupFile));
        return new LoadedArtifacts(clusters, catalog, Missing(PredictorFiles).Count == 0 ? LoadPredictor() : null);
    }

    /// <summary>Reads the metadata predictor (the calibration is optional: versions before it have none).</summary>
    /// <exception cref="InvalidDataException">A file of <see cref="PredictorFiles"/> is missing or malformed.</exception>
    public MetadataPredictor LoadPredictor()
    {
        if (Missing(PredictorFiles) is [_, ..] missing)
        {
            throw new InvalidDataException($"{Directory}: no metadata models ({string.Join(", ", missing)} missing)");
        }

        var ml = new MLContext(seed: 0);
        var stats = FeatureStatistics.Load(PathOf(FeaturizerFile));
        var models = AudioFeatures.Names
            .Select(name => ml.Model.Load(PathOf(MetadataModelFile(name)), out _))
            .ToList();
        var calibrationPath = PathOf(CalibrationFile);
        var calibration = File.Exists(calibrationPath)
            ? JsonSerializer.Deserialize<SpreadCalibration>(File.ReadAllText(calibrationPath))
            : null;
        var featurizer = new MetadataFeaturizer(stats);
        CheckFeatureNames(featurizer);
        return new MetadataPredictor(ml, featurizer, models, calibration);
    }

    /// <summary>
    /// The models score inputs by position: a version whose saved input names differ from the featurizer's (an input
    /// renamed, added or moved since it was trained) would be fed the wrong values silently, so it is refused.
    /// </summary>
    private void CheckFeatureNames(MetadataFeaturizer featurizer)
    {
        var path = PathOf(FeatureNamesFile);
        if (!File.Exists(path))
        {
            return; // nothing to compare with
        }

        string[]? saved;
        try
        {
            saved = JsonSerializer.Deserialize<string[]>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a JSON array of input names ({ex.Message})", ex);
        }

        if (saved is null || !saved.SequenceEqual(featurizer.FeatureNames))
        {
            var at = saved is null ? 0 : Enumerable.Range(0, Math.Min(saved.Length, featurizer.Length)).FirstOrDefault(i => saved[i] != featurizer.FeatureNames[i], Math.Min(saved.Length, featurizer.Length));
            throw new InvalidDataException(
                $"{path}: the model was trained on other inputs than this code computes (first difference at input {at}: " +
                $"saved '{(saved is not null && at < saved.Length ? saved[at] : "(none)")}', now '{(at < featurizer.Length ? featurizer.FeatureNames[at] : "(none)")}'); retrain the version");
        }
    }
}
