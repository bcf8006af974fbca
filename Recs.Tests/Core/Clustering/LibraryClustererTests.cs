using Recs.Core;
using Recs.Core.Clustering;
using Recs.Core.Models;
using Recs.Core.Prediction;
using Recs.Core.RealFeatures;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.Clustering;

public sealed class LibraryClustererTests
{
    // Three hand-placed clusters in z-scores: calm (0), middle (1), energetic (2).
    private static readonly FeatureScaler Scaler = new([120, 0.5, 0.5, 0.5, -10], [30, 0.2, 0.2, 0.2, 5]);
    private static readonly AudioFeatures Calm = new(80, 0.15, 0.3, 0.2, -20);
    private static readonly AudioFeatures Middle = new(120, 0.5, 0.5, 0.5, -10);
    private static readonly AudioFeatures Energetic = new(170, 0.9, 0.6, 0.7, -4);

    private static readonly ClusterModel Clusters = new(
        Scaler, [Scaler.Scale(Calm), Scaler.Scale(Middle), Scaler.Scale(Energetic)], ClusterModelInfo.Manual(3));

    private static readonly CatalogClusterLookup Catalog = CatalogClusterLookup.Build(Clusters,
    [
        new("cat-calm", "quiet band", "lullaby", Calm with { Energy = 0.1 }),
        new("cat-mid", "middle band", "song", Middle),
        new("cat-loud", "the loud ones", "shout", Energetic),
    ]);

    private static RecsModel Model(IAudioFeaturePredictor? predictor) =>
        new(new ModelVersion { Id = "v-test", K = 3 }, Clusters, Catalog, predictor);

    private static GenrePredictor Predictor() => new(
        new Dictionary<string, AudioFeatures> { ["metal"] = Energetic with { Tempo = 175 }, ["ambient"] = Calm with { Tempo = 70 } },
        Middle with { Valence = 0.55 });

    private static readonly TrackMetadata[] Library =
    [
        new() { Id = "cat-loud", Name = "Shout", Artists = ["The Loud Ones"] },                     // by id
        new() { Id = "other-id", Name = "Lullaby (Remastered 2011)", Artists = ["Quiet Band"] },    // by artist + title
        new() { Id = "new-1", Name = "Riff", Artists = ["Unknown"], Genres = ["metal"] },            // predicted
        new() { Id = null, Name = "Drone", Artists = ["Someone"], Genres = ["ambient"] },            // no id
        new() { Id = null, Name = "My Recording", Artists = [], IsLocal = true },                    // local file
        new() { Id = "new-2", Name = "Thing", Artists = ["Nobody"], KnownFeatures = Calm },          // the file's own features
    ];

    [Fact]
    public void CatalogTracksAreFoundByIdThenByArtistAndTitleAndTheRestStayUnclusteredWithoutTheModel()
    {
        var result = new LibraryClusterer().Cluster(Model(Predictor()), Library, useRecsModel: false);

        Assert.Equal(new Coverage(6, 3, 50.0, 2, 0, 1, 1, result.Coverage.Tiers) { FromFile = 1 }, result.Coverage);
        Assert.All(result.Coverage.Tiers.Values, n => Assert.Equal(0, n));
        Assert.Equal(["new-1", null, null], result.Unclustered.Select(t => t.Id));
        Assert.Equal(["Riff", "Drone", "My Recording"], result.Unclustered.Select(t => t.Name));
        Assert.Null(result.CheckSet); // nothing predicted, nothing measured
        Assert.All(result.Unclustered, t => Assert.Null(t.Features));
        var byId = result.Clusters.Single(c => c.Id == 2).Tracks.Single();
        Assert.Equal(("cat-loud", FeatureSource.Catalog, LibraryClusterer.MatchById), (byId.Id, byId.Source!.Value, byId.Match));
        var byName = result.Clusters.Single(c => c.Id == 0).Tracks.Single(t => t.Source == FeatureSource.Catalog);
        Assert.Equal(("other-id", LibraryClusterer.MatchByArtistTitle, 0.1), (byName.Id, byName.Match, byName.Features!.Value.Energy));
        Assert.Equal("v-test", result.ModelVersion);
        Assert.False(result.UseRecsModel);
    }

    [Fact]
    public void WithTheModelEveryOtherTrackIsPredictedInOneBatchAndCoverageIsComplete()
    {
        var predictor = Predictor();

        var result = new LibraryClusterer().Cluster(Model(predictor), Library, useRecsModel: true);

        // One batch: the 3 tracks without real features, and the 3 with them predicted as if unknown (the check set).
        Assert.Equal(1, predictor.Calls);
        Assert.Equal(6, predictor.TracksPredicted);
        Assert.Empty(result.Unclustered);
        Assert.Equal((6, 6, 100.0, 1, 2, 0, 3), (result.Coverage.Total, result.Coverage.Clustered, result.Coverage.Pct,
            result.Coverage.FromFile, result.Coverage.FromCatalog, result.Coverage.FromService, result.Coverage.Predicted));
        Assert.Equal(2, result.Coverage.Tiers[ConfidenceTier.GenresOnly]);
        Assert.Equal(1, result.Coverage.Tiers[ConfidenceTier.Nothing]);
        Assert.Equal(0, result.Coverage.Tiers[ConfidenceTier.ArtistKnown]);
        var tracks = result.Clusters.SelectMany(c => c.Tracks).ToDictionary(t => t.Name);
        Assert.Equal((2, FeatureSource.Predicted, ConfidenceTier.GenresOnly), (tracks["Riff"].Cluster!.Value, tracks["Riff"].Source!.Value, tracks["Riff"].Confidence!.Value));
        Assert.Equal(0, tracks["Drone"].Cluster);
        Assert.Equal(1, tracks["My Recording"].Cluster);
        // The file's own features are used as they are, exactly as a catalog track's.
        Assert.Equal((FeatureSource.File, 0, Calm), (tracks["Thing"].Source!.Value, tracks["Thing"].Cluster!.Value, tracks["Thing"].Features!.Value));
        Assert.Null(tracks["Thing"].Confidence);
        Assert.Null(tracks["Shout"].Confidence);
        Assert.Equal(3, result.CheckSet!.Tracks);
    }

    [Fact]
    public void TheClusteringWithoutPredictionsDerivedFromOneWithThemIsTheClusteringWithoutThem()
    {
        // Twice the library, so a cluster holds real and predicted tracks in the library's order.
        TrackMetadata[] library = [.. Library, .. Library.Select(t => t with { Id = t.Id is null ? null : t.Id + "-2" })];
        var clusterer = new LibraryClusterer();
        var on = clusterer.Cluster(Model(Predictor()), library, useRecsModel: true);

        var derived = on.WithoutPredictions()!;

        var direct = clusterer.Cluster(Model(Predictor()), library, useRecsModel: false);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(direct), System.Text.Json.JsonSerializer.Serialize(derived));
        Assert.Equal(6, derived.Unclustered.Count);
        // The tracks with real features are shared with the clustering they came from, not copied.
        Assert.All(derived.Clusters.SelectMany(c => c.Tracks), t => Assert.Contains(on.InLibraryOrder!, o => ReferenceEquals(o, t)));
        Assert.Null(derived.WithoutPredictions());
        Assert.Null(direct.InLibraryOrder); // nothing to derive from a clustering without predictions
    }

    [Fact]
    public void WithoutAPredictorTheModelSwitchChangesNothing()
    {
        var on = new LibraryClusterer().Cluster(Model(null), Library, useRecsModel: true);

        Assert.Equal(3, on.Unclustered.Count);
        Assert.Equal(50.0, on.Coverage.Pct);
    }

    [Fact]
    public void ClustersAreOrderedByIdWithNameSizeAndCentroidInNativeUnits()
    {
        var result = new LibraryClusterer().Cluster(Model(Predictor()), Library, useRecsModel: true);

        Assert.Equal([0, 1, 2], result.Clusters.Select(c => c.Id));
        Assert.Equal([3, 1, 2], result.Clusters.Select(c => c.Size)); // calm: Lullaby, Drone, Thing (from its file)
        Assert.All(result.Clusters, c => Assert.Equal(c.Size, c.Tracks.Count));
        Assert.Equal(Clusters.Names, result.Clusters.Select(c => c.Name));
        Assert.Equal(170, result.Clusters[2].Centroid.Tempo, 6);
        Assert.Equal(-4, result.Clusters[2].Centroid.Loudness, 6);
    }

    [Fact]
    public void AnEmptyLibraryHasFullCoverageAndNoClusters()
    {
        var result = new LibraryClusterer().Cluster(Model(Predictor()), [], useRecsModel: true);

        Assert.Empty(result.Clusters);
        Assert.Equal(100.0, result.Coverage.Pct);
    }

    [Fact]
    public void ALargeLibraryGivesEachTrackTheSameClusterAsClusteringItAlone()
    {
        var random = new Random(5);
        string[] genres = ["metal", "ambient", "pop"];
        var library = Enumerable.Range(0, 10_000).Select(i => new TrackMetadata
        {
            Id = i % 10 == 0 ? "cat-mid" : $"x{i}",
            Name = $"song {i}",
            Artists = [$"artist {random.Next(300)}"],
            Genres = [genres[random.Next(3)]],
        }).ToList();
        var clusterer = new LibraryClusterer();

        // Without the per-library correction (shrinkage 0): with it, a predicted track's cluster depends on the library's
        // check set by design.
        var batch = clusterer.Cluster(Model(Predictor()), library, useRecsModel: true, shrinkage: 0);

        Assert.Equal(10_000, batch.Coverage.Clustered);
        Assert.Equal(1_000, batch.Coverage.MatchedById);
        var clusterOf = batch.Clusters.SelectMany(c => c.Tracks).ToDictionary(t => t.Name, t => t.Cluster);
        foreach (var track in library.Take(200))
        {
            var alone = clusterer.Cluster(Model(Predictor()), [track], useRecsModel: true, shrinkage: 0);
            Assert.Equal(clusterOf[track.Name], alone.Clusters.Single().Tracks.Single().Cluster);
        }
    }

    [Fact]
    public void RealFeaturesComeFromTheFileThenTheCatalogThenOtherCatalogTracksAndTheServiceAndOnlyThenPrediction()
    {
        TrackMetadata[] library =
        [
            new() { Id = "cat-loud", Name = "Shout", Artists = ["The Loud Ones"], KnownFeatures = Calm }, // file beats catalog
            new() { Id = "cat-mid", Name = "Song", Artists = ["Middle Band"] },                            // model catalog
            new() { Id = "added", Name = "Added Later", Artists = ["New"] },                              // catalog row since training
            new() { Id = "svc", Name = "From Service", Artists = ["New"] },                               // features service
            new() { Id = "none", Name = "Unknown", Artists = ["New"] },                                   // prediction
        ];
        var known = new Dictionary<string, KnownTrackFeatures>
        {
            ["added"] = new(Energetic, FeatureSource.Catalog),
            ["svc"] = new(Calm, FeatureSource.Service),
            ["cat-mid"] = new(Energetic, FeatureSource.Service), // never asked: the model's catalog came first
        };

        var off = new LibraryClusterer().Cluster(Model(Predictor()), library, useRecsModel: false, known);
        var on = new LibraryClusterer().Cluster(Model(Predictor()), library, useRecsModel: true, known);

        var tracks = on.Clusters.SelectMany(c => c.Tracks).ToDictionary(t => t.Name);
        Assert.Equal(
            [FeatureSource.File, FeatureSource.Catalog, FeatureSource.Catalog, FeatureSource.Service, FeatureSource.Predicted],
            library.Select(t => tracks[t.Name].Source!.Value));
        Assert.Equal((0, 1, 2, 0), (tracks["Shout"].Cluster!.Value, tracks["Song"].Cluster!.Value, tracks["Added Later"].Cluster!.Value, tracks["From Service"].Cluster!.Value));
        Assert.Equal((1, 2, 1, 1), (on.Coverage.FromFile, on.Coverage.FromCatalog, on.Coverage.FromService, on.Coverage.Predicted));
        Assert.Equal(4, on.CheckSet!.Tracks);

        // The toggle off: only real features are clustered; the rest are listed by name.
        Assert.Equal((1, 2, 1, 0, 4, 80.0), (off.Coverage.FromFile, off.Coverage.FromCatalog, off.Coverage.FromService, off.Coverage.Predicted, off.Coverage.Clustered, off.Coverage.Pct));
        Assert.Equal(["Unknown"], off.Unclustered.Select(t => t.Name));
    }

    [Fact]
    public void TheCheckSetsMeanErrorCorrectsThePredictedTracksAndItsAgreementIsReportedWithChance()
    {
        // The predictor calls every metal track "middle"; this library's metal tracks with real features are all
        // energetic, so its check set says predictions are far too calm and corrects the metal tracks it has to predict.
        var predictor = new GenrePredictor(new Dictionary<string, AudioFeatures> { ["metal"] = Middle }, Middle);
        var library = Enumerable.Range(0, 300).Select(i => new TrackMetadata
        {
            Id = $"t{i}",
            Name = $"track {i}",
            Artists = ["band"],
            Genres = ["metal"],
            KnownFeatures = i < 200 ? Energetic : null,
        }).ToList();

        var corrected = new LibraryClusterer().Cluster(Model(predictor), library, useRecsModel: true);
        var uncorrected = new LibraryClusterer().Cluster(Model(predictor), library, useRecsModel: true, shrinkage: 0);

        var check = corrected.CheckSet!;
        Assert.Equal(200, check.Tracks);
        Assert.Equal(0, check.Agreement.Agreement); // every check track was predicted "middle", truly energetic
        Assert.Equal(0, check.Agreement.ChanceAgreement);
        Assert.Equal(200.0 / 250 * (Energetic.Energy - Middle.Energy), check.Correction.Offsets.Energy, 9);
        Assert.All(uncorrected.Clusters.SelectMany(c => c.Tracks).Where(t => t.Source == FeatureSource.Predicted), t => Assert.Equal(1, t.Cluster));
        Assert.All(corrected.Clusters.SelectMany(c => c.Tracks).Where(t => t.Source == FeatureSource.Predicted), t => Assert.Equal(2, t.Cluster));
        Assert.True(uncorrected.CheckSet!.Correction.IsNone);
    }
}
