using System.Globalization;
using System.Text.Json.Nodes;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Prediction;
using Recs.Core.Prediction.Training;

namespace Recs.Web.Cli;

/// <summary>
/// <c>train (--csv PATH | --enriched-csv PATH) --output-dir DIR [--k N] [--seed N] [--trainer NAME]</c> (docs/contracts.md §CLI):
/// imports the file into the catalog (idempotent), trains the cluster model and the metadata regressors on the whole
/// catalog, writes the artifacts of docs/contracts.md §Artifacts and activates the new version. JSON: the metrics.
/// </summary>
public sealed class TrainVerb(CatalogImporter importer, RecsTrainer trainer) : ICliVerb
{
    public string Name => "train";

    public string Summary => "import a catalog CSV and train a model version: (--csv PATH | --enriched-csv PATH) --output-dir DIR [--k N] [--seed N] [--trainer lightgbm|fasttree|fastforest|sdca]";

    public IReadOnlyCollection<string> Options => ["csv", "enriched-csv", "output-dir", "k", "seed", "trainer", "no-random-split"];

    public async Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken cancellationToken)
    {
        if (args.Has("csv") == args.Has("enriched-csv"))
        {
            throw new CliUsageException("give exactly one of --csv PATH or --enriched-csv PATH");
        }

        var csv = args.RequireFile(args.Has("csv") ? "csv" : "enriched-csv");
        var outputDir = Path.GetFullPath(args.Require("output-dir"));
        var k = args.Int("k", Recs.Core.Clustering.ClusteringOptions.DefaultK, 2, 50);
        var seed = args.Int("seed", Recs.Core.Clustering.ClusteringOptions.DefaultSeed);
        var trainerName = (args.Get("trainer") ?? MetadataTrainers.LightGbm).ToLowerInvariant();
        if (!MetadataTrainers.All.Contains(trainerName))
        {
            throw new CliUsageException($"--trainer: '{trainerName}' is not one of {string.Join(", ", MetadataTrainers.All)}");
        }

        if (File.Exists(outputDir))
        {
            throw new CliUsageException($"--output-dir: {outputDir} is a file");
        }

        output.Progress($"importing {Path.GetFileName(csv)} into the catalog…");
        CatalogImportResult import;
        try
        {
            import = await importer.ImportFileAsync(csv, null, cancellationToken);
        }
        catch (CatalogFormatException ex)
        {
            throw new CliUsageException(ex.Message);
        }

        output.Progress($"imported {import.TracksImported:N0} tracks ({import.TracksNew:N0} new, {import.RowsRejected:N0} rows rejected)");
        var progress = new SynchronousProgress<TrainingProgress>(p => output.Progress($"[{p.Fraction,4:P0}] {p.Message}"));
        var result = await trainer.TrainAsync(new RecsTrainingRequest
        {
            OutputDirectory = outputDir,
            K = k,
            Seed = seed,
            Trainer = trainerName,
            CreatedBy = "cli",
            RandomSplit = !args.Flag("no-random-split"),
        }, progress, cancellationToken);

        output.Result(result.Metrics);
        WriteSummary(output, result);
        return 0;
    }

    private static void WriteSummary(CliOutput output, RecsTrainingResult result)
    {
        var m = result.Metrics;
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"Model version {result.ModelVersion} (active): {result.TrainingTracks:N0} catalog tracks, {m["trainer"]}, {result.Elapsed.TotalSeconds:0.0} s"));
        output.Line($"Artifacts in {result.Directory}");
        foreach (var split in new[] { "artist_grouped", "random" })
        {
            if (m[split]?["profiles"] is not JsonObject profiles)
            {
                continue;
            }

            foreach (var (profile, node) in profiles)
            {
                output.Line();
                output.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{split} split, {profile} metadata ({node!["tracks"]} test tracks): R² (MAE) — model vs baselines"));
                output.Line($"  {"feature",-13} {"model",16} {"global mean",16} {"genre mean",16} {"artist mean",16} {"artist table",16}");
                foreach (var f in AudioFeatures.Names)
                {
                    output.Line($"  {f,-13} {Cell(node["features"]![f]),16} {Cell(node["baselines"]!["global_mean"]![f]),16} {Cell(node["baselines"]!["genre_mean"]![f]),16} {Cell(node["baselines"]!["artist_mean"]![f]),16} {Cell(node["baselines"]!["artist_table_mean"]![f]),16}");
                }

                output.Line(string.Create(CultureInfo.InvariantCulture,
                    $"  cluster agreement {node["cluster_agreement"]} (simple rule {node["baseline_cluster_agreement"]}, majority cluster {node["majority_cluster_rate"]})"));
            }
        }
    }

    private static string Cell(JsonNode? metric) => metric is null ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{(double)metric["r2"]!:0.000} ({(double)metric["mae"]!:0.###})");
}
