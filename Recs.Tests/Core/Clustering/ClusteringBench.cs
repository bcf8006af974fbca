using System.Diagnostics;
using Recs.Core;
using Recs.Core.Clustering;
using Recs.Core.Demo;
using Recs.Core.Models;
using Recs.Core.Prediction;
using Recs.Tests.TestSupport;
using Xunit.Abstractions;

namespace Recs.Tests.Core.Clustering;

/// <summary>Timing of <see cref="LibraryClusterer"/> on a 10,000-track library (run with RECS_BENCH=1; numbers in BENCHMARKS.md).</summary>
public sealed class ClusteringBench(ITestOutputHelper output)
{
    [BenchFact]
    public void ClusterATenThousandTrackDemoLibrary()
    {
        var generate = Stopwatch.StartNew();
        var catalog = DemoCatalogGenerator.Generate();
        output.WriteLine($"demo catalog: {catalog.Tracks.Count:N0} tracks, {catalog.Artists.Count:N0} artists in {generate.ElapsedMilliseconds} ms");
        var trained = ClusterModelTrainer.TrainWithLookup(catalog.Tracks.Select(CatalogLookupEntry.From).ToList(), new ClusteringOptions());
        var predictor = new GenrePredictor(
            DemoGenres.All.ToDictionary(g => g.SpotifyGenres[0], g => new AudioFeatures(g.Tempo.Mean, g.Energy.Mean, g.Danceability.Mean, g.Valence.Mean, g.Loudness.Mean)),
            new AudioFeatures(120, 0.6, 0.6, 0.5, -8));
        var sizes = trained.Model.Assign(catalog.Tracks.Select(t => t.Features).ToList()).GroupBy(c => c).OrderBy(g => g.Key).Select(g => g.Count()).ToList();
        output.WriteLine("demo k=9 clusters: " + string.Join("; ", trained.Model.Names.Select((n, i) => $"{n} ({sizes[i]})")));
        var model = new RecsModel(new ModelVersion { Id = "bench", K = trained.Model.K }, trained.Model, trained.Lookup, predictor);
        var library = DemoLibraryGenerator.Generate(catalog, size: 10_000);
        var clusterer = new LibraryClusterer();
        clusterer.Cluster(model, library, true); // warm-up (JIT)

        var times = new List<double>();
        ClusteringResult? result = null;
        for (var run = 0; run < 5; run++)
        {
            var sw = Stopwatch.StartNew();
            result = clusterer.Cluster(model, library, true);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        output.WriteLine($"10,000 tracks: median {times[2]:F1} ms, best {times[0]:F1} ms (by id {result!.Coverage.MatchedById}, by artist+title {result.Coverage.MatchedByArtistTitle}, predicted {result.Coverage.Predicted}); catalog {catalog.Tracks.Count:N0} tracks");
    }
}
