using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Clustering;
using Recs.Core.FeatureServices;
using Recs.Core.Models;
using Recs.Core.Prediction;
using Recs.Core.RealFeatures;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.RealFeatures;

public sealed class RealFeatureResolverTests
{
    private static readonly FeatureScaler Scaler = new([120, 0.5, 0.5, 0.5, -10], [30, 0.2, 0.2, 0.2, 5]);
    private static readonly AudioFeatures Calm = new(80, 0.15, 0.3, 0.2, -20);
    private static readonly AudioFeatures Energetic = new(170, 0.9, 0.6, 0.7, -4);
    private static readonly ClusterModel Clusters = new(Scaler, [Scaler.Scale(Calm), Scaler.Scale(Energetic)], ClusterModelInfo.Manual(2));

    // The model was trained on one track; the database has since gained a Kaggle row and a service answer.
    private static readonly RecsModel Model = new(
        new ModelVersion { Id = "v", K = 2 },
        Clusters,
        CatalogClusterLookup.Build(Clusters, [new("in-model", "band", "old song", Calm)]),
        null);

    [Fact]
    public async Task OnlyTracksTheFileAndTheModelsCatalogDoNotKnowAreLookedUpAndEachAnswerSaysWhereItCameFrom()
    {
        using var database = new TestDatabase();
        await using (var db = database.CreateDbContext())
        {
            db.CatalogTracks.Add(Row("kaggle-later", CatalogSources.Kaggle, Energetic));
            db.CatalogTracks.Add(Row("from-service", CatalogSources.Service, Calm));
            db.CatalogTracks.Add(Row("someones-file", CatalogSources.File, Energetic));
            await db.SaveChangesAsync();
        }

        var lookup = new CountingLookup(new KnownFeatureLookup(database, Options.Create(new FeatureServiceOptions { Provider = "none" }), NullLogger<KnownFeatureLookup>.Instance));
        var resolver = new RealFeatureResolver(lookup, database);
        TrackMetadata[] library =
        [
            new() { Id = "in-model", Name = "x" },
            new() { Id = "other", Name = "Old Song", Artists = ["Band"] },            // in the model's catalog by artist + title
            new() { Id = "file-row", Name = "y", KnownFeatures = Calm },              // the file knows it
            new() { Id = "kaggle-later", Name = "a" },
            new() { Id = "from-service", Name = "b" },
            new() { Id = "someones-file", Name = "c" },
            new() { Id = "nobody-knows", Name = "d" },
            new() { Id = "nobody-knows", Name = "d" },
            new() { Id = null, Name = "local", IsLocal = true },
        ];

        var resolution = await resolver.ResolveAsync(Model, library, CancellationToken.None);

        Assert.Equal(["kaggle-later", "from-service", "someones-file", "nobody-knows"], lookup.Asked.Single());
        Assert.Equal(4, resolution.Asked);
        Assert.Equal(new KnownTrackFeatures(Energetic, FeatureSource.Catalog), resolution.Known["kaggle-later"]);
        Assert.Equal(new KnownTrackFeatures(Calm, FeatureSource.Service), resolution.Known["from-service"]);
        Assert.Equal(FeatureSource.Catalog, resolution.Known["someones-file"].Source);
        Assert.False(resolution.Known.ContainsKey("nobody-knows"));

        var result = new LibraryClusterer().Cluster(Model, library, useRecsModel: false, resolution.Known);
        Assert.Equal((1, 4, 1, 0), (result.Coverage.FromFile, result.Coverage.FromCatalog, result.Coverage.FromService, result.Coverage.Predicted));
        Assert.Equal(["d", "d", "local"], result.Unclustered.Select(t => t.Name));
    }

    [Fact]
    public async Task ALibraryTheFileAndModelFullyKnowAsksNothing()
    {
        using var database = new TestDatabase();
        var lookup = new CountingLookup(new KnownFeatureLookup(database, Options.Create(new FeatureServiceOptions { Provider = "none" }), NullLogger<KnownFeatureLookup>.Instance));

        var resolution = await new RealFeatureResolver(lookup, database).ResolveAsync(Model, [new() { Id = "in-model" }, new() { Id = "f", KnownFeatures = Calm }], CancellationToken.None);

        Assert.Same(RealFeatureResolution.None, resolution);
        Assert.Empty(lookup.Asked);
    }

    private static CatalogTrack Row(string id, string source, AudioFeatures f) => new()
    {
        Id = id, Source = source, Tempo = f.Tempo, Energy = f.Energy, Danceability = f.Danceability, Valence = f.Valence, Loudness = f.Loudness,
    };

    private sealed class CountingLookup(IKnownFeatureLookup inner) : IKnownFeatureLookup
    {
        public List<List<string>> Asked { get; } = [];

        public Task<KnownFeatureLookupResult> LookupAsync(IReadOnlyCollection<string> spotifyTrackIds, CancellationToken cancellationToken)
        {
            Asked.Add([.. spotifyTrackIds]);
            return inner.LookupAsync(spotifyTrackIds, cancellationToken);
        }

        public Task<KnownFeatureLookupResult> LookupTracksAsync(IReadOnlyCollection<TrackMetadata> tracks, CancellationToken cancellationToken)
        {
            Asked.Add([.. tracks.Select(t => t.Id!)]);
            return inner.LookupTracksAsync(tracks, cancellationToken);
        }
    }
}
