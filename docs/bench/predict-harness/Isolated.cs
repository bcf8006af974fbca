using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Recs.Core;
using Recs.Core.Prediction;

public sealed class Row { public float Label { get; set; } public float[] Features { get; set; } = []; }

public static class Iso
{
    static IEstimator<ITransformer> Estimator(MLContext ml, Assembly asm, MetadataTrainingOptions o)
    {
        var optsType = asm.GetType("Microsoft.ML.Trainers.LightGbm.LightGbmRegressionTrainer+Options")!;
        var opts = Activator.CreateInstance(optsType)!;
        void Set(object target, string name, object value) { var t = target.GetType(); var f = t.GetField(name); if (f != null) f.SetValue(target, value); else t.GetProperty(name)!.SetValue(target, value); }
        Set(opts, "LabelColumnName", "Label"); Set(opts, "FeatureColumnName", "Features");
        Set(opts, "NumberOfIterations", o.Trees); Set(opts, "NumberOfLeaves", (int?)o.Leaves); Set(opts, "LearningRate", (double?)o.LearningRate);
        Set(opts, "MinimumExampleCountPerLeaf", (int?)o.MinExamplesPerLeaf); Set(opts, "Seed", (int?)o.Seed); Set(opts, "NumberOfThreads", (int?)1);
        var boosterType = asm.GetType("Microsoft.ML.Trainers.LightGbm.GradientBooster+Options")!;
        var b = Activator.CreateInstance(boosterType)!;
        Set(b, "SubsampleFraction", o.SubsampleFraction); Set(b, "SubsampleFrequency", 1); Set(b, "FeatureFraction", o.FeatureFraction); Set(b, "L2Regularization", 1.0);
        Set(opts, "Booster", b);
        var ext = asm.GetType("Microsoft.ML.LightGbmExtensions")!.GetMethods().Single(m => m.Name == "LightGbm" && m.GetParameters().Length == 2 && m.GetParameters()[0].ParameterType == typeof(RegressionCatalog.RegressionTrainers));
        return (IEstimator<ITransformer>)ext.Invoke(null, [ml.Regression.Trainers, opts])!;
    }

    public static void Run(List<float[]> rows, List<AudioFeatures> labels, MetadataTrainingOptions o, int length)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        IDataView View(MLContext ml, int f) => ml.Data.LoadFromEnumerable(rows.Select((r, i) => (r, i)).Where(p => !double.IsNaN(labels[p.i][f])).Select(p => new Row { Label = (float)labels[p.i][f], Features = p.r }).ToList(), schema);
        var path = typeof(LightGbmRegressionTrainer).Assembly.Location;
        var sw = Stopwatch.StartNew();
        var iso = new ITransformer[5];
        Parallel.For(0, 5, new ParallelOptions { MaxDegreeOfParallelism = 2 }, f =>
        {
            var alc = new AssemblyLoadContext("lgbm" + f);
            var asm = alc.LoadFromAssemblyPath(path);
            var ml = new MLContext(o.Seed + f);
            var view = View(ml, f);
            var t = Estimator(ml, asm, o).Fit(view);
            using var ms = new MemoryStream();
            ml.Model.Save(t, view.Schema, ms);
            ms.Position = 0;
            iso[f] = new MLContext(1).Model.Load(ms, out _);
            Console.WriteLine($"  iso {f} done at {sw.Elapsed.TotalSeconds:F1}s type {iso[f].GetType().Name} alc {AssemblyLoadContext.GetLoadContext(iso[f].GetType().GenericTypeArguments.FirstOrDefault()?.Assembly ?? iso[f].GetType().Assembly)?.Name}");
        });
        Console.WriteLine($"isolated fit {sw.Elapsed.TotalSeconds:F1}s");
        sw.Restart();
        var normal = new ITransformer[5];
        for (int f = 0; f < 5; f++) { var ml = new MLContext(o.Seed + f); normal[f] = MetadataModelTrainer.BuildPipeline(ml, o).Fit(View(ml, f)); }
        Console.WriteLine($"normal fit {sw.Elapsed.TotalSeconds:F1}s");
        var normal2 = new ITransformer[5];
        for (int f = 0; f < 5; f++) { var ml = new MLContext(o.Seed + f); normal2[f] = MetadataModelTrainer.BuildPipeline(ml, o).Fit(View(ml, f)); }
        var iso2 = new ITransformer[5];
        for (int f = 0; f < 5; f++) { var alc = new AssemblyLoadContext("again" + f); var asm = alc.LoadFromAssemblyPath(path); var ml = new MLContext(o.Seed + f); iso2[f] = Estimator(ml, asm, o).Fit(View(ml, f)); }
        var ml0 = new MLContext(1);
        var test = View(ml0, 1);
        for (int f = 0; f < 5; f++)
        {
            var a = iso[f].Transform(test).GetColumn<float>("Score").ToArray();
            var b = normal[f].Transform(test).GetColumn<float>("Score").ToArray();
            var c = normal2[f].Transform(test).GetColumn<float>("Score").ToArray();
            var d = iso2[f].Transform(test).GetColumn<float>("Score").ToArray();
            Console.WriteLine($"  f{f}: normal-normal {b.SequenceEqual(c)} iso-iso {a.SequenceEqual(d)} iso2-normal {d.SequenceEqual(b)}");
            Console.WriteLine($"  f{f}: identical={a.SequenceEqual(b)} maxdiff={a.Zip(b, (x, y) => Math.Abs(x - y)).Max()}");
        }
    }
}
