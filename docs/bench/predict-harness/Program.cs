using System.Diagnostics;
using Recs.Core;
using Recs.Core.Prediction;
using Microsoft.ML;

var data = "/work/shared/data";
var sw = Stopwatch.StartNew();
var kaggle = Csv.Kaggle(Environment.GetEnvironmentVariable("KAGGLE") ?? $"{data}/catalog/kaggle_tracks_subset.csv");
var tidy = args.Contains("kaggleonly") ? new List<TrainingExample>() : Csv.Tidy($"{data}/catalog/tidytuesday_spotify_songs.csv", kaggle.Select(k => k.Metadata.Id!).ToHashSet());
var useTable = !args.Contains("notable");
var artists = useTable ? Csv.Artists($"{data}/artists/artist_genres.csv") : [];
var examples = args.Contains("kaggleonly") ? kaggle : kaggle.Concat(tidy).ToList();
Console.WriteLine($"loaded {kaggle.Count} kaggle + {tidy.Count} tidy, {artists.Count} artists in {sw.Elapsed.TotalSeconds:F1}s");

if (args.Contains("profile")) { Prof.Run(examples, artists); return; }
// quick k-means on scaled features
var k = 8;
var feats = examples.Select(e => e.Features).Where(f => f.HasTempo).ToList();
var mean = new double[5]; var sd = new double[5];
for (int f = 0; f < 5; f++) { mean[f] = feats.Average(x => x[f]); sd[f] = Math.Sqrt(feats.Average(x => (x[f]-mean[f])*(x[f]-mean[f]))); }
double[] S(AudioFeatures a) { var v = new double[5]; for (int f = 0; f < 5; f++) v[f] = ((f == 0 && !a.HasTempo ? mean[0] : a[f]) - mean[f]) / sd[f]; return v; }
var pts = feats.Select(S).ToArray();
var rnd = new Random(1); var cents = Enumerable.Range(0, k).Select(_ => (double[])pts[rnd.Next(pts.Length)].Clone()).ToArray();
int Near(double[] v) { int best = 0; double bd = double.MaxValue; for (int c = 0; c < k; c++) { double d = 0; for (int f = 0; f < 5; f++) d += (v[f]-cents[c][f])*(v[f]-cents[c][f]); if (d < bd) { bd = d; best = c; } } return best; }
for (int it = 0; it < 40; it++) { var sum = new double[k,5]; var cnt = new int[k]; foreach (var p in pts) { var c = Near(p); cnt[c]++; for (int f = 0; f < 5; f++) sum[c,f] += p[f]; } for (int c = 0; c < k; c++) if (cnt[c] > 0) for (int f = 0; f < 5; f++) cents[c][f] = sum[c,f]/cnt[c]; }
Func<AudioFeatures, int> assign = a => Near(S(a));

var opts = new MetadataTrainingOptions { Trainer = Environment.GetEnvironmentVariable("TRAINER") ?? "lightgbm",
  Trees = int.Parse(Environment.GetEnvironmentVariable("TREES") ?? "200"), Leaves = int.Parse(Environment.GetEnvironmentVariable("LEAVES") ?? "31"),
  LearningRate = double.Parse(Environment.GetEnvironmentVariable("LR") ?? "0.075"), MinExamplesPerLeaf = int.Parse(Environment.GetEnvironmentVariable("MINLEAF") ?? "40"),
  MaxBins = int.Parse(Environment.GetEnvironmentVariable("MAXBIN") ?? "63"), MaskedCopies = !args.Contains("nomask"), SubsampleFraction = double.Parse(Environment.GetEnvironmentVariable("SUB") ?? "0.8"), FeatureFraction = double.Parse(Environment.GetEnvironmentVariable("FF") ?? "0.8"),
  Statistics = new FeatureStatisticsOptions(TopGenreWords: int.Parse(Environment.GetEnvironmentVariable("TOPW") ?? "20")) };

if (args.Contains("yearsplit"))
{
    var (tr, te) = MetadataEvaluation.GroupedSplit(examples, 0.2, 7);
    foreach (var (name, sub) in new[] { ("with year", te.Where(e => e.Metadata.ReleaseYear is not null).ToList()), ("without year", te.Where(e => e.Metadata.ReleaseYear is null).ToList()), ("all", te) })
    {
        var (rep, _) = MetadataEvaluation.EvaluateSplit("grouped", tr, sub, artists, opts, assign);
        Console.WriteLine($"{name}: {sub.Count}");
        Print("full", rep.Profiles["full"]);
    }
    return;
}
if (args.Contains("iso"))
{
    var prep = MetadataModelTrainer.Prepare(new TrainingData(examples, artists), opts);
    var rowsP = (List<float[]>)prep.GetType().GetProperty("Rows", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(prep)!;
    var labelsP = (List<AudioFeatures>)prep.GetType().GetProperty("Labels", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(prep)!;
    Iso.Run(rowsP, labelsP, opts, rowsP[0].Length);
    return;
}
if (args.Contains("fitspeed"))
{
    var sw2 = Stopwatch.StartNew();
    var prep = MetadataModelTrainer.Prepare(new TrainingData(examples, artists), opts);
    Console.WriteLine($"prepare {sw2.Elapsed.TotalSeconds:F1}s");
    foreach (var t in new[] { 100, 100 })
    {
        sw2.Restart();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        MetadataModelTrainer.Fit(prep, opts with { Trees = t });
        Console.WriteLine($"fit trees={t}: {sw2.Elapsed.TotalSeconds:F1}s wall, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds:F1}s");
    }
    return;
}
if (args.Contains("pcc")) { Pcc.Run(examples, artists, opts, assign, S, k, data); return; }
void Print(string title, ProfileReport r)
{
    Console.WriteLine($"  [{title}] n={r.Tracks} agree={r.ClusterAgreement:F3} (uncal {r.UncalibratedClusterAgreement:F3}) rule={r.BaselineClusterAgreement:F3} table={r.BaselineClusterAgreements["artist_table_mean"]:F3} major={r.MajorityClusterRate:F3} tiers={string.Join(",", r.Tiers.Select(t => $"{t.Key}:{t.Value}"))}");
    foreach (var f in AudioFeatures.Names)
        Console.WriteLine($"    {f,-13} model r2={r.Features[f].R2,7:F3} mae={r.Features[f].Mae,8:F3} | global {r.Baselines["global_mean"][f].R2,7:F3} genre {r.Baselines["genre_mean"][f].R2,7:F3} artist {r.Baselines["artist_mean"][f].R2,7:F3} table {r.Baselines["artist_table_mean"][f].R2,7:F3}");
}

SpreadCalibration groupedCalibration = SpreadCalibration.None;
if (!args.Contains("nogrouped"))
{
    sw.Restart();
    var (tr, te) = MetadataEvaluation.GroupedSplit(examples, 0.2, 7);
    var (rep, cal) = MetadataEvaluation.EvaluateSplit("grouped", tr, te, artists, opts, assign);
    groupedCalibration = cal;
    Console.WriteLine($"grouped: train {tr.Count} test {te.Count} in {sw.Elapsed.TotalSeconds:F1}s calib={string.Join(",", cal.Factor.Select(x => x.ToString("F2")))}");
    foreach (var (p, r) in rep.Profiles) Print(p, r);
}
if (args.Contains("random"))
{
    var (tr, te) = MetadataEvaluation.RandomSplit(examples, 0.2, 7);
    var (rep, _) = MetadataEvaluation.EvaluateSplit("random", tr, te, artists, opts, assign);
    Console.WriteLine($"random:");
    foreach (var (p, r) in rep.Profiles) Print(p, r);
}
if (args.Contains("libs"))
{
    sw.Restart();
    var models = MetadataModelTrainer.Train(new TrainingData(examples, artists), opts);
    Console.WriteLine($"full train {sw.Elapsed.TotalSeconds:F1}s");
    var pred = new MetadataPredictor(new MLContext(1), models.Featurizer, models.Models, groupedCalibration);
    var ids = examples.Select(e => e.Metadata.Id).ToHashSet();
    var libs = Directory.GetFiles($"{data}/libraries", "*.csv", SearchOption.AllDirectories);
    var all = libs.SelectMany(Csv.Library).Where(t => t.KnownFeatures is { } f && f.HasTempo && !ids.Contains(t.Id)).GroupBy(t => t.Id).Select(g => g.First()).ToList();
    Console.WriteLine($"library tracks not in catalog with features: {all.Count}");
    foreach (var prof in InputProfiles.All)
    {
        var meta = all.Select(t => InputProfiles.Apply(t, prof)).ToList();
        sw.Restart();
        var p = pred.Predict(meta);
        var el = sw.Elapsed.TotalSeconds;
        var truth = all.Select(t => t.KnownFeatures!.Value).ToList();
        var cal = MetadataEvaluation.FitCalibration(truth, p.Select(x => x.Features).ToList(), assign);
        Console.WriteLine($" predict {meta.Count} in {el:F3}s; oracle calib factors {string.Join(",", cal.Factor.Select(x => x.ToString("F2")))}");
        Print("libs-" + prof, MetadataEvaluation.Report(models.Featurizer, meta, truth, p, p.Select(x => x.ForClustering).ToList(), assign));
        foreach (var who in libs.Select(l => Path.GetFileName(Path.GetDirectoryName(l))).Distinct())
        {
            var sub = libs.Where(l => l.Contains("/" + who + "/")).SelectMany(Csv.Library).Where(t => t.KnownFeatures is { } f && f.HasTempo && !ids.Contains(t.Id)).GroupBy(t => t.Id).Select(g => g.First()).ToList();
            var sm = sub.Select(t => InputProfiles.Apply(t, prof)).ToList();
            var sp = pred.Predict(sm);
            var r = MetadataEvaluation.Report(models.Featurizer, sm, sub.Select(t => t.KnownFeatures!.Value).ToList(), sp, sp.Select(x => x.ForClustering).ToList(), assign);
            Console.WriteLine($"   {who,-14} n={r.Tracks,5} agree={r.ClusterAgreement:F3} rule={r.BaselineClusterAgreement:F3} table={r.BaselineClusterAgreements["artist_table_mean"]:F3} major={r.MajorityClusterRate:F3}");
        }
    }
}
