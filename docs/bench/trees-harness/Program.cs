// Profiles MetadataPredictor on a trained model version and checks the compiled trees against ML.NET on it.
//   dotnet run -c Release -- <model version dir>          throughput and a one-core breakdown of 10,000 tracks
//   dotnet run -c Release -- <model version dir> check    compiled scores vs ML.NET Transform, real + NaN rows
// Build it as a console project referencing Recs.Core (see trees-harness.csproj.txt); it reuses
// ../predict-harness/Csv.cs to read the catalog files in /work/shared/data. ScoreRows is internal: called by reflection.
using System.Diagnostics;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Recs.Core;
using Recs.Core.Prediction;

var dir = args[0];
var data = Environment.GetEnvironmentVariable("RECS_DATA") ?? "/work/shared/data";
var kaggle = Csv.Kaggle($"{data}/catalog/kaggle_tracks_subset.csv");
var tidy = Csv.Tidy($"{data}/catalog/tidytuesday_spotify_songs.csv", kaggle.Select(e => e.Metadata.Id!).ToHashSet());
var examples = kaggle.Concat(tidy).ToList();
var predictor = MetadataPredictor.Load(dir);
Console.WriteLine(string.Join("\n", predictor.ScoringPaths));
// As the bench verb builds them: catalog metadata under new names, as if none of it were in the catalog.
var metadata = Enumerable.Range(0, 50_000).Select(i => examples[i % examples.Count].Metadata with { Id = null, Name = $"track {i}" }).ToList();
var scoreRows = typeof(MetadataPredictor).GetMethod("ScoreRows", BindingFlags.NonPublic | BindingFlags.Instance)!;
var length = predictor.Featurizer.Length;

if (args.Length > 1 && args[1] == "check")
{
    var ml = new MLContext(0);
    var random = new Random(5);
    var rows = new List<float[]>();
    foreach (var m in metadata.Take(20_000))
    {
        var x = new float[length];
        predictor.Featurizer.Featurize(m, x);
        rows.Add(x);
        var holes = (float[])x.Clone();
        for (var i = 0; i < length; i++)
        {
            if (random.Next(3) == 0)
            {
                holes[i] = float.NaN;
            }
        }

        rows.Add(holes);
    }

    var nan = new float[length];
    Array.Fill(nan, float.NaN);
    rows.Add(nan);
    var schema = SchemaDefinition.Create(typeof(Row));
    schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
    var view = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r }), schema);
    var compiled = (float[][])scoreRows.Invoke(predictor, [rows.SelectMany(r => r).ToArray(), rows.Count])!;
    for (var f = 0; f < AudioFeatures.Count; f++)
    {
        var model = ml.Model.Load(Path.Combine(dir, MetadataPredictor.ModelFileName(AudioFeatures.Names[f])), out _);
        var expected = model.Transform(view).GetColumn<float>("Score").ToArray();
        var differ = Enumerable.Range(0, rows.Count).Count(i => expected[i] != compiled[f][i]);
        Console.WriteLine($"{AudioFeatures.Names[f]}: {rows.Count} rows, {differ} score differently from ML.NET");
    }

    return;
}

predictor.Predict(metadata.Take(1000).ToList());
var sw = new Stopwatch();
for (var rep = 0; rep < 4; rep++)
{
    sw.Restart();
    for (var i = 0; i < metadata.Count; i += 10_000)
    {
        predictor.Predict(metadata.GetRange(i, 10_000));
    }

    Console.WriteLine($"Predict, batches of 10,000, all cores: {metadata.Count / sw.Elapsed.TotalSeconds:N0} tracks/s");
}

// One core, 10,000 tracks, CPU time (the machine is shared: wall time is not the process's own cost).
var batch = metadata.Take(10_000).ToList();
var matrix = new float[batch.Count * length];
for (var rep = 0; rep < 5; rep++)
{
    var featurize = Cpu(() =>
    {
        for (var i = 0; i < batch.Count; i++)
        {
            predictor.Featurizer.Featurize(batch[i], matrix.AsSpan(i * length, length));
        }
    });
    var score = Cpu(() => scoreRows.Invoke(predictor, [matrix, batch.Count]));
    var results = Cpu(() =>
    {
        var r = new FeaturePrediction[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            r[i] = new FeaturePrediction(Clamp(new AudioFeatures(120, 0.5, 0.5, 0.5, -5)), ConfidenceTier.Nothing);
        }
    });
    Console.WriteLine($"one core, 10,000 tracks: featurize {featurize:N0} ms, score 5 models {score:N0} ms, results {results:N1} ms (CPU)");
}

static double Cpu(Action action)
{
    var before = Process.GetCurrentProcess().TotalProcessorTime;
    action();
    return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds;
}

// MetadataPredictor.Clamp is internal; the same work.
static AudioFeatures Clamp(AudioFeatures f) => new(
    Math.Clamp(f.Tempo, 30, 250), Math.Clamp(f.Energy, 0, 1), Math.Clamp(f.Danceability, 0, 1), Math.Clamp(f.Valence, 0, 1), Math.Clamp(f.Loudness, -60, 5));

internal sealed class Row
{
    public float Label { get; set; }

    public float[] Features { get; set; } = [];
}
