using System.Diagnostics;
using Recs.Core;
using Recs.Core.Prediction;
static class Prof
{
    sealed class P(Stopwatch sw) : IProgress<string> { public void Report(string m) => Console.WriteLine($"{sw.Elapsed.TotalSeconds,7:F2}s {m}"); }
    public static void Run(List<TrainingExample> examples, List<ArtistProfile> artists)
    {
        var sw = Stopwatch.StartNew();
        var data = new TrainingData(examples, artists);
        var opts = new MetadataTrainingOptions { Trees = int.Parse(Environment.GetEnvironmentVariable("TREES") ?? "150"), Leaves = int.Parse(Environment.GetEnvironmentVariable("LEAVES") ?? "31"), LearningRate = double.Parse(Environment.GetEnvironmentVariable("LR") ?? "0.1"), Trainer = Environment.GetEnvironmentVariable("TRAINER") ?? "lightgbm" };
        var c0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var index = FeatureStatisticsBuilder.BuildIndex(data, opts.Statistics);
        Console.WriteLine($"BuildIndex CPU {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - c0).TotalSeconds:F1}s");
        Console.WriteLine($"BuildIndex {sw.Elapsed.TotalSeconds:F2}s"); sw.Restart();
        var stats = FeatureStatisticsBuilder.Build(examples, index);
        Console.WriteLine($"Build {sw.Elapsed.TotalSeconds:F2}s"); sw.Restart();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        MetadataModelTrainer.Train(data, opts, new P(sw));
        Console.WriteLine($"train CPU {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1}s");
    }
}
