using System.Diagnostics;
using System.Globalization;
using System.Text;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Models;
using Recs.Core.Persistence;
using Recs.Core.Prediction;
using Recs.Core.Prediction.Featurization;
using Recs.Core.Prediction.Serving;
using Recs.Core.Prediction.Training;

namespace Recs.Web.Cli;

/// <summary>
/// <c>bench [--trainers] [--data DIR]</c> (docs/contracts.md §CLI): times import, training, batch prediction and clustering a
/// 10,000-track library in a private temporary data directory (the configured one is never touched), with peak
/// memory. Uses the real data under ../shared/data when present, else a synthetic catalog, and says which.
/// <c>--trainers</c> also compares the regression trainers on the artist-grouped split. <c>--providers</c> runs import,
/// training and the clusters API on SQLite and on the PostgreSQL server of <c>ConnectionStrings:Recs</c> side by side
/// (<see cref="ProvidersBench"/>).
/// </summary>
public sealed class BenchVerb(IConfiguration configuration) : ICliVerb
{
    public string Name => "bench";

    public string Summary => "time import, training, prediction and clustering 10k tracks (real data from ../shared/data when present): [--trainers] [--data DIR]; " +
                             "--feature-service [--tracks N] [--latency-ms N]: resolve a library's features from a loopback features service, first fetch and cached; " +
                             "--circuits N [--tracks N] [--interactions N] [--settle S] [--gcdump DIR] [--phases library,cluster,listeners]: managed heap and RSS per open page (headless Chromium) and interaction p50/p95; " +
                             "--providers [--postgres-first] [--tracks N] [--ConnectionStrings:Recs=…]: import, train and POST /api/clusters on SQLite and PostgreSQL side by side";

    public IReadOnlyCollection<string> Options => ["trainers", "data", "feature-service", "tracks", "latency-ms", "circuits", "interactions", "settle", "gcdump", "phases", "providers", "postgres-first"];

    public async Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken cancellationToken)
    {
        if (args.Get("circuits") is not null)
        {
            return await CircuitBench.RunAsync(args, output, cancellationToken);
        }

        if (args.Flag("providers"))
        {
            return await ProvidersBench.RunAsync(args, configuration, output, cancellationToken);
        }

        if (args.Flag("feature-service"))
        {
            return await FeatureServiceBench.RunAsync(args, output, cancellationToken);
        }

        var sharedData = args.Get("data") is { } d ? Path.GetFullPath(d) : FindSharedData();
        var kaggle = sharedData is null ? null : Path.Combine(sharedData, "catalog", "kaggle_tracks_subset.csv");
        var real = kaggle is not null && File.Exists(kaggle);
        var temp = CreateTemporaryDirectory("recs-bench-");
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [$"--Recs:DataDirectory={temp}"], ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.AddRecsServices();
            using var host = builder.Build();
            await host.Services.MigrateRecsDatabaseAsync(cancellationToken);
            var importer = host.Services.GetRequiredService<CatalogImporter>();
            var trainer = host.Services.GetRequiredService<RecsTrainer>();
            var active = host.Services.GetRequiredService<ActiveModel>();

            // Import
            var catalogFile = real ? kaggle! : WriteSyntheticCatalog(Path.Combine(temp, "synthetic_catalog.csv"), 20_000);
            output.Progress($"importing {(real ? "the real Kaggle subset" : "a synthetic catalog")}…");
            var sw = Stopwatch.StartNew();
            var import = await importer.ImportFileAsync(catalogFile, null, cancellationToken);
            var importSeconds = sw.Elapsed.TotalSeconds;
            var importedFiles = new List<string> { Path.GetFileName(catalogFile) };
            if (real)
            {
                var tidy = Path.Combine(sharedData!, "catalog", "tidytuesday_spotify_songs.csv");
                var artistTable = Path.Combine(sharedData!, "artists", "artist_genres.csv");
                if (File.Exists(tidy))
                {
                    await importer.ImportFileAsync(tidy, null, cancellationToken);
                    importedFiles.Add(Path.GetFileName(tidy));
                }

                if (File.Exists(artistTable))
                {
                    await host.Services.GetRequiredService<ArtistGenresImporter>().ImportFileAsync(artistTable, cancellationToken);
                    importedFiles.Add(Path.GetFileName(artistTable));
                }
            }

            // Train (one full training run: cluster model, evaluation on the artist-grouped split, final fit, artifacts)
            output.Progress("training…");
            sw.Restart();
            var training = await trainer.TrainAsync(new RecsTrainingRequest { CreatedBy = "bench" }, null, cancellationToken);
            var trainSeconds = sw.Elapsed.TotalSeconds;
            var model = await active.GetAsync(cancellationToken) ?? throw new InvalidOperationException("training activated no model");
            var predictor = (MetadataPredictor)model.Predictor!;

            // Predict: a library's worth of metadata, as if none of it were in the catalog.
            var (data, _) = await CatalogTrainingData.LoadAsync(host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<RecsDbContext>>(), cancellationToken);
            var metadata = Enumerable.Range(0, 50_000).Select(i => data.Examples[i % data.Examples.Count].Metadata with { Id = null, Name = $"track {i}" }).ToList();
            predictor.Predict(metadata.Take(1000).ToList()); // warm-up (JIT)
            sw.Restart();
            for (var i = 0; i < metadata.Count; i += 10_000)
            {
                predictor.Predict(metadata.GetRange(i, Math.Min(10_000, metadata.Count - i)));
            }

            var predictPerSecond = metadata.Count / sw.Elapsed.TotalSeconds;

            // Cluster 10k: catalog path by id for the tracks the catalog has, prediction + nearest centroid for the rest.
            var library = MixedLibrary(data, 10_000);
            sw.Restart();
            var clusters = ClusterLibrary(model, predictor, library);
            var clusterMs = sw.Elapsed.TotalMilliseconds;

            var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
            var result = new BenchJson(
                real ? "real" : "synthetic",
                importedFiles,
                Environment.ProcessorCount,
                import.RowsRead,
                Math.Round(import.RowsRead / importSeconds),
                training.TrainingTracks,
                Math.Round(trainSeconds, 2),
                Math.Round(predictPerSecond),
                Math.Round(clusterMs, 1),
                clusters,
                Math.Round(peakMb, 1),
                training.Metrics["trainer"]?.GetValue<string>() ?? "",
                training.Metrics["energy"]?["r2"]?.GetValue<double>() ?? double.NaN,
                training.Metrics["cluster_agreement"]?.GetValue<double>() ?? double.NaN,
                args.Flag("trainers") ? CompareTrainers(data, model.Clusters.Assign, output, cancellationToken) : null);

            output.Result(result);
            output.Line($"Bench on {result.Data} data ({string.Join(", ", importedFiles)}), {result.Cores} cores");
            output.Line(string.Create(CultureInfo.InvariantCulture, $"  import            {result.ImportRowsPerSecond,12:N0} rows/s ({result.ImportRows:N0} rows)"));
            output.Line(string.Create(CultureInfo.InvariantCulture, $"  train             {result.TrainSeconds,12:0.0} s ({result.TrainTracks:N0} tracks, incl. grouped evaluation)"));
            output.Line(string.Create(CultureInfo.InvariantCulture, $"  predict           {result.PredictTracksPerSecond,12:N0} tracks/s (batches of 10,000)"));
            output.Line(string.Create(CultureInfo.InvariantCulture, $"  cluster 10k       {result.Cluster10kMs,12:0.0} ms"));
            output.Line(string.Create(CultureInfo.InvariantCulture, $"  peak memory       {result.PeakMemoryMb,12:0.0} MB"));
            if (result.Trainers is { } table)
            {
                output.Line("  trainer comparison (artist-grouped split, full metadata, R²):");
                foreach (var row in table)
                {
                    output.Line(string.Create(CultureInfo.InvariantCulture,
                        $"    {row.Trainer,-28} {string.Join("  ", AudioFeatures.Names.Select(n => $"{n} {row.R2[n]:0.000}"))}  agreement {row.ClusterAgreement:0.000}  {row.Seconds:0.0} s"));
                }
            }

            return 0;
        }
        finally
        {
            DeleteTemporaryDirectory(temp);
        }
    }

    /// <summary>The library path of the product: catalog by id, else predicted, then nearest centroid for all.</summary>
    private static int ClusterLibrary(RecsModel model, MetadataPredictor predictor, IReadOnlyList<TrackMetadata> library)
    {
        var features = new AudioFeatures[library.Count];
        var toPredict = new List<int>();
        for (var i = 0; i < library.Count; i++)
        {
            if (library[i].Id is { } id && model.Catalog.TryGetIndex(id, out var index))
            {
                features[i] = model.Catalog.Features(index);
            }
            else
            {
                toPredict.Add(i);
            }
        }

        var predicted = predictor.Predict(toPredict.Select(i => library[i]).ToList());
        for (var j = 0; j < toPredict.Count; j++)
        {
            features[toPredict[j]] = predicted[j].ForClustering;
        }

        return model.Clusters.Assign(features).Distinct().Count();
    }

    private static List<TrainerRow> CompareTrainers(TrainingData data, Func<AudioFeatures, int> assign, CliOutput output, CancellationToken cancellationToken)
    {
        var (train, test) = MetadataEvaluation.GroupedSplit(data.Examples, 0.2, 42);
        var defaults = new MetadataTrainingOptions();
        MetadataTrainingOptions[] candidates =
        [
            defaults,
            defaults with { Trees = 300, LearningRate = 0.05, SubsampleFraction = 0.8 },
            defaults with { Trees = 200, LearningRate = 0.075 },
            defaults with { Trees = 150, LearningRate = 0.1 },
            defaults with { Leaves = 15 },
            defaults with { Trees = 600, Leaves = 63, LearningRate = 0.03, MinExamplesPerLeaf = 80 },
            defaults with { Trainer = MetadataTrainers.FastTree },
            defaults with { Trainer = MetadataTrainers.FastForest, Leaves = 63, MinExamplesPerLeaf = 20 },
            defaults with { Trainer = MetadataTrainers.Sdca },
        ];
        var rows = new List<TrainerRow>();
        foreach (var options in candidates)
        {
            var label = options.Trainer == MetadataTrainers.Sdca ? options.Trainer
                : string.Create(CultureInfo.InvariantCulture, $"{options.Trainer} {options.Trees}×{options.Leaves}{(options.Trainer == MetadataTrainers.FastForest ? "" : $" lr {options.LearningRate}")}{(options.Trainer == MetadataTrainers.LightGbm ? $" bagging {options.SubsampleFraction}" : "")}{(ReferenceEquals(options, defaults) ? " (default)" : "")}");
            output.Progress($"comparing {label}…");
            var sw = Stopwatch.StartNew();
            var (report, _) = MetadataEvaluation.EvaluateSplit("artist_grouped", train, test, data.Artists, options, assign, null, cancellationToken);
            var full = report.Profiles[InputProfiles.Full];
            rows.Add(new TrainerRow(label, full.Features.ToDictionary(p => p.Key, p => p.Value.R2), full.Features.ToDictionary(p => p.Key, p => p.Value.Mae),
                full.ClusterAgreement, full.UncalibratedClusterAgreement, report.Profiles[InputProfiles.Development].ClusterAgreement, Math.Round(sw.Elapsed.TotalSeconds, 1)));
        }

        return rows;
    }

    /// <summary>
    /// A bench's library of <paramref name="tracks"/> tracks: one in 25 a catalog track (by id), the rest the same
    /// metadata under ids the catalog does not have, so they take the prediction path.
    /// </summary>
    internal static List<TrackMetadata> MixedLibrary(TrainingData data, int tracks) =>
        Enumerable.Range(0, tracks).Select(i => i % 25 == 0
            ? data.Examples[i % data.Examples.Count].Metadata
            : data.Examples[i % data.Examples.Count].Metadata with { Id = $"not-in-catalog-{i}" }).ToList();

    /// <summary>A new empty folder for one bench run, under the system's temporary folder.</summary>
    internal static string CreateTemporaryDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Removes a bench's folder; a file SQLite still holds for a moment is left to the OS's temp clean-up.</summary>
    internal static void DeleteTemporaryDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the OS cleans the temp folder.
        }
    }

    /// <summary>../shared/data from the current directory or the binary's, walking up.</summary>
    internal static string? FindSharedData()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>A Kaggle-format catalog with genre-shaped features and artists of several tracks (seeded).</summary>
    internal static string WriteSyntheticCatalog(string path, int tracks)
    {
        var random = new Random(7);
        string[] genres = ["acoustic", "metal", "edm", "hip-hop", "classical", "pop", "jazz", "rock"];
        var sb = new StringBuilder(",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre\n");
        for (var i = 0; i < tracks; i++)
        {
            var artist = random.Next(tracks / 6);
            var g = artist % genres.Length;
            var energy = Math.Clamp((0.15 + (0.1 * g)) + (random.NextDouble() * 0.2) - 0.1, 0, 1);
            var dance = Math.Clamp(0.3 + (0.05 * g) + (random.NextDouble() * 0.2), 0, 1);
            var valence = Math.Clamp(0.2 + (0.07 * g) + (random.NextDouble() * 0.3), 0, 1);
            var loudness = Math.Clamp(-20 + (16 * energy) + (random.NextDouble() * 3), -60, 5);
            var tempo = 80 + (8 * g) + (random.NextDouble() * 30);
            var id = $"{i:D22}";
            sb.Append(CultureInfo.InvariantCulture, $"{i},{id},Artist {artist},Album {artist},Song {i},{random.Next(100)},{150_000 + random.Next(120_000)},{(random.Next(10) == 0 ? "True" : "False")},");
            sb.Append(CultureInfo.InvariantCulture, $"{dance:0.000},{energy:0.000},{random.Next(12)},{loudness:0.000},{random.Next(2)},0.05,0.3,0.0,0.1,{valence:0.000},{tempo:0.000},4,{genres[g]}\n");
        }

        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private sealed record TrainerRow(string Trainer, Dictionary<string, double> R2, Dictionary<string, double> Mae, double ClusterAgreement, double UncalibratedClusterAgreement, double DevelopmentClusterAgreement, double Seconds);

    private sealed record BenchJson(
        string Data,
        IReadOnlyList<string> Files,
        int Cores,
        int ImportRows,
        double ImportRowsPerSecond,
        int TrainTracks,
        double TrainSeconds,
        double PredictTracksPerSecond,
        [property: System.Text.Json.Serialization.JsonPropertyName("cluster_10k_ms")] double Cluster10kMs,
        int ClustersUsed,
        double PeakMemoryMb,
        string Trainer,
        double EnergyR2,
        double ClusterAgreement,
        IReadOnlyList<TrainerRow>? Trainers);
}
