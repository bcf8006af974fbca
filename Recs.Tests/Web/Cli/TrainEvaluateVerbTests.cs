using System.Globalization;
using System.Text;
using System.Text.Json;
using Recs.Core;
using Recs.Tests.TestSupport;
using Recs.Web.Cli;

namespace Recs.Tests.Web.Cli;

public sealed class TrainEvaluateVerbTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliRunner.RunAsync([.. args, "--data-dir", _dir.File("data")], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task TrainThenEvaluateWorkEndToEndOnASmallCatalog()
    {
        var csv = BenchVerb.WriteSyntheticCatalog(_dir.File("catalog.csv"), 1500);
        var library = WriteLibrary(_dir.File("library.csv"));
        var models = _dir.File("models");

        var train = await RunAsync("train", "--csv", csv, "--output-dir", models, "--k", "4", "--no-random-split", "--json");

        Assert.True(train.Code == 0, train.Err);
        using (var metrics = JsonDocument.Parse(train.Out))
        {
            Assert.True(metrics.RootElement.GetProperty("energy").GetProperty("r2").GetDouble() > 0.3, train.Out);
            Assert.Equal(1500, metrics.RootElement.GetProperty("training_tracks").GetInt32());
        }

        foreach (var name in AudioFeatures.Names)
        {
            Assert.True(File.Exists(Path.Combine(models, $"metadata_model_{name}.zip")));
        }

        foreach (var profile in new[] { "full", "development" })
        {
            var evaluate = await RunAsync("evaluate", "--library", library, "--profile", profile, "--json");

            Assert.True(evaluate.Code == 0, evaluate.Err);
            using var json = JsonDocument.Parse(evaluate.Out);
            var root = json.RootElement;
            Assert.Equal(profile, root.GetProperty("profile").GetString());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("model_version").GetString()));
            Assert.Equal(20, root.GetProperty("in_catalog").GetProperty("tracks").GetInt32());
            Assert.Equal(30, root.GetProperty("not_in_catalog").GetProperty("tracks").GetInt32());
            foreach (var group in new[] { "in_catalog", "not_in_catalog" })
            {
                var g = root.GetProperty(group);
                foreach (var key in new[] { "cluster_agreement", "majority_cluster_rate", "baseline_cluster_agreement" })
                {
                    Assert.InRange(g.GetProperty(key).GetDouble(), 0, 1);
                }

                foreach (var name in AudioFeatures.Names)
                {
                    Assert.Equal(JsonValueKind.Number, g.GetProperty("features").GetProperty(name).GetProperty("mae").ValueKind);
                }

                // Chance-corrected agreement beside the raw one.
                var agreement = g.GetProperty("cluster_agreement").GetDouble();
                var chance = g.GetProperty("chance_agreement").GetDouble();
                Assert.InRange(chance, 0, 1);
                Assert.Equal(chance < 1 ? (agreement - chance) / (1 - chance) : 0, g.GetProperty("kappa").GetDouble(), 2);
            }

            // The correction's gain on held-out tracks: every track with features measured once, before and after.
            var correction = root.GetProperty("correction");
            Assert.Equal(50, correction.GetProperty("held_out_tracks").GetInt32());
            Assert.Equal(2, correction.GetProperty("folds").GetInt32());
            Assert.Equal(50, correction.GetProperty("shrinkage").GetDouble());
            Assert.Equal(
                Math.Round(correction.GetProperty("after").GetProperty("agreement").GetDouble() - correction.GetProperty("before").GetProperty("agreement").GetDouble(), 4),
                correction.GetProperty("agreement_gain").GetDouble(), 4);
            foreach (var name in AudioFeatures.Names)
            {
                Assert.True(correction.GetProperty("mae_before").GetProperty(name).GetDouble() >= 0);
                Assert.True(correction.GetProperty("mae_after").GetProperty(name).GetDouble() >= 0);
            }
        }

        // The same file with every row repeated (a track in two playlists) evaluates the same 50 tracks.
        var doubled = _dir.File("doubled.csv");
        var lines = File.ReadAllLines(library);
        File.WriteAllLines(doubled, [.. lines, .. lines.Skip(1)]);
        var again = await RunAsync("evaluate", "--library", doubled, "--json");
        Assert.True(again.Code == 0, again.Err);
        using (var json = JsonDocument.Parse(again.Out))
        {
            Assert.Equal(50, json.RootElement.GetProperty("duplicates_merged").GetInt32());
            Assert.Equal(30, json.RootElement.GetProperty("not_in_catalog").GetProperty("tracks").GetInt32());
        }

        var human = await RunAsync("train", "--csv", csv, "--output-dir", _dir.File("models2"), "--k", "4", "--no-random-split");
        Assert.Equal(0, human.Code);
        Assert.Contains("cluster agreement", human.Out);
        Assert.Contains("artist_grouped split, full metadata", human.Out);
    }

    [Fact]
    public async Task TrainRejectsAnUnknownTrainerAndMissingInput()
    {
        var csv = BenchVerb.WriteSyntheticCatalog(_dir.File("catalog.csv"), 50);

        var badTrainer = await RunAsync("train", "--csv", csv, "--output-dir", _dir.File("m"), "--trainer", "xgboost");
        var noCsv = await RunAsync("train", "--output-dir", _dir.File("m"));

        Assert.Equal(2, badTrainer.Code);
        Assert.Contains("xgboost", badTrainer.Err);
        Assert.Equal(2, noCsv.Code);
        Assert.Contains("--csv", noCsv.Err);
    }

    [Fact]
    public async Task EvaluateWithoutATrainedModelSaysSo()
    {
        var library = WriteLibrary(_dir.File("library.csv"));

        var result = await RunAsync("evaluate", "--library", library);

        Assert.Equal(2, result.Code);
        Assert.Contains("train", result.Err);
    }

    /// <summary>An Exportify export with features: 20 tracks of the synthetic catalog (by id) and 30 new ones.</summary>
    private static string WriteLibrary(string path)
    {
        var sb = new StringBuilder("\uFEFFTrack URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Added By,Added At,Genres,Record Label,Danceability,Energy,Key,Loudness,Mode,Speechiness,Acousticness,Instrumentalness,Liveness,Valence,Tempo,Time Signature\n");
        var random = new Random(3);
        for (var i = 0; i < 50; i++)
        {
            var inCatalog = i < 20;
            var id = inCatalog ? $"{i:D22}" : $"NEW{i:D19}";
            var energy = random.NextDouble();
            sb.Append(CultureInfo.InvariantCulture,
                $"spotify:track:{id},{(inCatalog ? "Song" : "New song")} {i},Album,Artist {i % 7},2020-01-01,200000,50,false,,2024-01-01T00:00:00Z,\"pop,dance pop\",Label,{random.NextDouble():0.000},{energy:0.000},1,{-20 + (15 * energy):0.000},1,0.05,0.2,0,0.1,{random.NextDouble():0.000},{90 + random.Next(60)},4\n");
        }

        File.WriteAllText(path, sb.ToString());
        return path;
    }
}
