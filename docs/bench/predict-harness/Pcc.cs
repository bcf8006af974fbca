using Recs.Core;
using Recs.Core.Prediction;
using Microsoft.ML;
static class Pcc
{
    // predicted-space centroids: per true cluster, mean of scaled predictions
    public static double[][] Fit(List<double[]> predScaled, List<int> trueCluster, int k)
    {
        var c = new double[k][]; var n = new int[k];
        for (int j = 0; j < k; j++) c[j] = new double[5];
        for (int i = 0; i < predScaled.Count; i++) { n[trueCluster[i]]++; for (int f = 0; f < 5; f++) c[trueCluster[i]][f] += predScaled[i][f]; }
        for (int j = 0; j < k; j++) for (int f = 0; f < 5; f++) c[j][f] = n[j] > 0 ? c[j][f] / n[j] : 1e9;
        return c;
    }
    public static int Near(double[][] c, double[] v) { int b = 0; double bd = double.MaxValue; for (int j = 0; j < c.Length; j++) { double d = 0; for (int f = 0; f < 5; f++) d += (v[f]-c[j][f])*(v[f]-c[j][f]); if (d < bd) { bd = d; b = j; } } return b; }
    public static void Run(List<TrainingExample> examples, List<ArtistProfile> artists, MetadataTrainingOptions opts, Func<AudioFeatures,int> assign, Func<AudioFeatures,double[]> S, int k, string data)
    {
        var (tr, te) = MetadataEvaluation.GroupedSplit(examples, 0.2, 7);
        var m = MetadataModelTrainer.Train(new TrainingData(tr, artists), opts);
        var pred = new MetadataPredictor(new MLContext(1), m.Featurizer, m.Models);
        foreach (var prof in InputProfiles.All)
        {
            var meta = te.Select(e => InputProfiles.Apply(e.Metadata with { Genres = e.Metadata.Genres.Count > 0 ? e.Metadata.Genres : e.CatalogGenres }, prof)).ToList();
            var p = pred.Predict(meta).Select(x => x.Features).ToList();
            var idx = Enumerable.Range(0, te.Count).Where(i => te[i].Features.HasTempo).ToList();
            var ps = idx.Select(i => S(p[i])).ToList(); var tc = idx.Select(i => assign(te[i].Features)).ToList();
            var half = idx.Select(i => Recs.Core.Catalog.TextKeys.Normalize(te[i].Metadata.PrimaryArtist).GetHashCode() % 2 == 0).ToList();
            int ok = 0, okRaw = 0;
            for (int side = 0; side < 2; side++)
            {
                var fitIdx = Enumerable.Range(0, idx.Count).Where(j => half[j] == (side == 0)).ToList();
                var c = Fit(fitIdx.Select(j => ps[j]).ToList(), fitIdx.Select(j => tc[j]).ToList(), k);
                foreach (var j in Enumerable.Range(0, idx.Count).Where(j => half[j] != (side == 0))) ok += Near(c, ps[j]) == tc[j] ? 1 : 0;
            }
            for (int j = 0; j < idx.Count; j++) okRaw += assign(p[idx[j]]) == tc[j] ? 1 : 0;
            Console.WriteLine($"grouped {prof}: raw nearest {okRaw / (double)idx.Count:F3}  per-cluster calibrated (cross-fit) {ok / (double)idx.Count:F3}");
            if (prof == InputProfiles.Full) Libs(examples, artists, opts, assign, S, k, data, Fit(ps, tc, k));
        }
    }
    static void Libs(List<TrainingExample> examples, List<ArtistProfile> artists, MetadataTrainingOptions opts, Func<AudioFeatures,int> assign, Func<AudioFeatures,double[]> S, int k, string data, double[][] cents)
    {
        var m = MetadataModelTrainer.Train(new TrainingData(examples, artists), opts);
        var pred = new MetadataPredictor(new MLContext(1), m.Featurizer, m.Models);
        var ids = examples.Select(e => e.Metadata.Id).ToHashSet();
        var libs = Directory.GetFiles($"{data}/libraries", "*.csv", SearchOption.AllDirectories);
        var all = libs.SelectMany(Csv.Library).Where(t => t.KnownFeatures is { } f && f.HasTempo && !ids.Contains(t.Id)).GroupBy(t => t.Id).Select(g => g.First()).ToList();
        foreach (var prof in InputProfiles.All)
        {
            var meta = all.Select(t => InputProfiles.Apply(t with { KnownFeatures = null }, prof)).ToList();
            var p = pred.Predict(meta).Select(x => x.Features).ToList();
            int ok = 0, okRaw = 0, okRule = 0;
            for (int i = 0; i < all.Count; i++)
            {
                var t = assign(all[i].KnownFeatures!.Value);
                okRaw += assign(p[i]) == t ? 1 : 0;
                ok += Near(cents, S(p[i])) == t ? 1 : 0;
                okRule += assign(m.Featurizer.SimpleRule(meta[i])) == t ? 1 : 0;
            }
            Console.WriteLine($"libs {prof}: n={all.Count} raw {okRaw / (double)all.Count:F3} per-cluster {ok / (double)all.Count:F3} rule {okRule / (double)all.Count:F3}");
        }
    }
}
