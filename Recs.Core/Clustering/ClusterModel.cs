using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recs.Core.Clustering;

/// <summary>
/// A trained cluster model: the scaler, k centroids (scaled and in native units) and a name per cluster.
/// Immutable and thread-safe: share one instance between requests. <see cref="Assign(AudioFeatures)"/> is the
/// original design's <c>predict_cluster_from_features</c>.
/// </summary>
public sealed class ClusterModel
{
    /// <summary>Version of the file format (<c>cluster_model.json</c> in a model version directory).</summary>
    public const int FormatVersion = 1;

    private readonly double[] _centroids; // k × AudioFeatures.Count z-scores, row-major
    private readonly AudioFeatures[] _nativeCentroids;
    private readonly string[] _names;

    /// <summary>Creates a model from its scaler and scaled centroids; names are derived when not given.</summary>
    public ClusterModel(FeatureScaler scaler, IReadOnlyList<double[]> scaledCentroids, ClusterModelInfo info, IReadOnlyList<string>? names = null)
    {
        if (scaledCentroids.Count < 1 || scaledCentroids.Any(c => c.Length != AudioFeatures.Count))
        {
            throw new ArgumentException($"a cluster model needs at least one centroid of {AudioFeatures.Count} values", nameof(scaledCentroids));
        }

        names ??= ClusterNamer.Name(scaledCentroids);
        if (names.Count != scaledCentroids.Count)
        {
            throw new ArgumentException("one name per centroid", nameof(names));
        }

        Scaler = scaler;
        Info = info;
        _centroids = scaledCentroids.SelectMany(c => c).ToArray();
        _nativeCentroids = scaledCentroids.Select(c => scaler.Unscale(c)).ToArray();
        _names = [.. names];
    }

    /// <summary>Number of clusters.</summary>
    public int K => _names.Length;

    /// <summary>The catalog scaler.</summary>
    public FeatureScaler Scaler { get; }

    /// <summary>How the model was trained (seed, configuration, data size).</summary>
    public ClusterModelInfo Info { get; }

    /// <summary>Cluster names by id (unique within the model).</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Centroids in native units (BPM, 0–1, dB) by cluster id.</summary>
    public IReadOnlyList<AudioFeatures> Centroids => _nativeCentroids;

    /// <summary>The scaled centroid (z-scores) of cluster <paramref name="cluster"/>.</summary>
    public ReadOnlySpan<double> ScaledCentroid(int cluster) => _centroids.AsSpan(cluster * AudioFeatures.Count, AudioFeatures.Count);

    /// <summary>The z-scores of <paramref name="features"/> with the catalog scaler (unknown tempo → the mean).</summary>
    public double[] Scale(AudioFeatures features) => Scaler.Scale(features);

    /// <summary>The nearest centroid (squared Euclidean distance on z-scores) to <paramref name="features"/>.</summary>
    public int Assign(AudioFeatures features)
    {
        Span<double> scaled = stackalloc double[AudioFeatures.Count];
        Scaler.Scale(features, scaled);
        return AssignScaled(scaled);
    }

    /// <summary>The nearest centroid to an already scaled vector.</summary>
    public int AssignScaled(ReadOnlySpan<double> scaled)
    {
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        var centroids = _centroids.AsSpan();
        for (var c = 0; c < _names.Length; c++)
        {
            var centroid = centroids.Slice(c * AudioFeatures.Count, AudioFeatures.Count);
            var d = 0.0;
            for (var i = 0; i < AudioFeatures.Count; i++)
            {
                var diff = scaled[i] - centroid[i];
                d += diff * diff;
            }

            // Strictly smaller: ties go to the lower id, the same rule for single and batch calls.
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }

        return best;
    }

    /// <summary>Assigns a batch; <c>clusters[i]</c> is exactly <see cref="Assign(AudioFeatures)"/> of <c>features[i]</c>.</summary>
    public void Assign(ReadOnlySpan<AudioFeatures> features, Span<int> clusters)
    {
        if (clusters.Length < features.Length)
        {
            throw new ArgumentException("the destination is shorter than the batch", nameof(clusters));
        }

        for (var i = 0; i < features.Length; i++)
        {
            clusters[i] = Assign(features[i]);
        }
    }

    /// <summary>Assigns a batch; the result is in input order.</summary>
    public int[] Assign(IReadOnlyList<AudioFeatures> features)
    {
        var result = new int[features.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Assign(features[i]);
        }

        return result;
    }

    /// <summary>Writes the model to <paramref name="path"/> (temp file, then moved into place; <c>ModelArtifacts</c> names the file).</summary>
    public void Save(string path)
    {
        var dto = new ClusterModelFile(
            FormatVersion,
            AudioFeatures.Names,
            K,
            Info,
            new ScalerFile([.. Scaler.Means], [.. Scaler.StdDevs]),
            Enumerable.Range(0, K).Select(c => ScaledCentroid(c).ToArray()).ToArray(),
            _nativeCentroids.Select(NativeFeaturesFile.From).ToArray(),
            _names);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, dto, JsonOptions));
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is missing, malformed or of another format version.</exception>
    public static ClusterModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: cluster model file not found");
        }

        ClusterModelFile? dto;
        try
        {
            using var stream = File.OpenRead(path);
            dto = JsonSerializer.Deserialize<ClusterModelFile>(stream, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a valid cluster model ({ex.Message})", ex);
        }

        if (dto is null || dto.FormatVersion != FormatVersion)
        {
            throw new InvalidDataException($"{path}: unsupported cluster model format version {dto?.FormatVersion}");
        }

        if (!dto.Features.SequenceEqual(AudioFeatures.Names) || dto.CentroidsScaled.Length != dto.K || dto.Names.Length != dto.K)
        {
            throw new InvalidDataException($"{path}: features, k, centroids and names do not agree");
        }

        return new ClusterModel(new FeatureScaler(dto.Scaler.Mean, dto.Scaler.Std), dto.CentroidsScaled, dto.Config, dto.Names);
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // A file for people to read too: keep "·" and "+" as they are rather than \u00B7 escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record ClusterModelFile(
        int FormatVersion,
        IReadOnlyList<string> Features,
        int K,
        ClusterModelInfo Config,
        ScalerFile Scaler,
        double[][] CentroidsScaled,
        NativeFeaturesFile[] Centroids,
        string[] Names);

    private sealed record ScalerFile(double[] Mean, double[] Std);

    private sealed record NativeFeaturesFile(double Tempo, double Energy, double Danceability, double Valence, double Loudness)
    {
        public static NativeFeaturesFile From(AudioFeatures f) => new(f.Tempo, f.Energy, f.Danceability, f.Valence, f.Loudness);
    }
}

/// <summary>How a cluster model was trained; stored as <c>config</c> in the cluster model file.</summary>
/// <param name="K">Number of clusters.</param>
/// <param name="Seed">Seed of MLContext / k-means++.</param>
/// <param name="Trainer">The trainer, e.g. "ml.net kmeans (k-means++ init)".</param>
/// <param name="MaxIterations">Upper bound of iterations.</param>
/// <param name="TrainingRows">Catalog rows the centroids were fitted on (rows with a detected tempo).</param>
/// <param name="TempoUnknownRows">Catalog rows with tempo 0, left out of fitting (assigned with the mean tempo).</param>
public sealed record ClusterModelInfo(int K, int Seed, string Trainer, int MaxIterations, int TrainingRows, int TempoUnknownRows)
{
    /// <summary>Info of a hand-made model (tests, imports).</summary>
    public static ClusterModelInfo Manual(int k) => new(k, 0, "manual", 0, 0, 0);
}

/// <summary>Writes a file by writing a temp file beside it and moving it into place, so readers never see half a file.</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
