using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Clustering;
using Recs.Core.Demo;
using Recs.Core.Models;
using Recs.Core.Prediction;

namespace Recs.Tests.Core.Demo;

public sealed class DemoGeneratorTests
{
    private static readonly DemoCatalog Catalog = DemoCatalogGenerator.Generate(seed: 11, trackCount: 4_000);

    [Fact]
    public void TheSameSeedGivesTheSameCatalogAndAnotherSeedADifferentOne()
    {
        var again = DemoCatalogGenerator.Generate(seed: 11, trackCount: 4_000);
        var other = DemoCatalogGenerator.Generate(seed: 12, trackCount: 4_000);

        Assert.Equal(Catalog.Tracks.Select(t => (t.Id, t.Name, t.Artists, t.Features, t.Popularity, t.ReleaseDate)),
            again.Tracks.Select(t => (t.Id, t.Name, t.Artists, t.Features, t.Popularity, t.ReleaseDate)));
        Assert.Equal(Catalog.Artists.Select(a => (a.Name, a.Genres)), again.Artists.Select(a => (a.Name, a.Genres)));
        Assert.NotEqual(Catalog.Tracks[0].Id, other.Tracks[0].Id);
    }

    [Fact]
    public void TheCatalogIsMarkedDemoWithValidRowsEveryGenreAndArtistsWithSeveralTracks()
    {
        Assert.Equal(4_000, Catalog.Tracks.Count);
        Assert.All(Catalog.Tracks, t =>
        {
            Assert.Equal(CatalogSources.Demo, t.Source);
            Assert.Equal(22, t.Id.Length);
            Assert.InRange(t.Energy, 0, 1);
            Assert.InRange(t.Danceability, 0, 1);
            Assert.InRange(t.Valence, 0, 1);
            Assert.InRange(t.Loudness, -60, 5);
            Assert.True(t.Tempo == 0 || t.Tempo is > 40 and < 220);
            Assert.InRange(t.Popularity!.Value, 0, 100);
            Assert.NotEmpty(t.PrimaryArtistKey);
            Assert.NotEmpty(t.TitleKey);
        });
        Assert.Equal(Catalog.Tracks.Count, Catalog.Tracks.Select(t => t.Id).Distinct().Count());
        Assert.Equal(DemoGenres.All.Count, Catalog.Tracks.Select(t => t.TrackGenres).Distinct().Count());
        Assert.Equal(Catalog.Artists.Count, Catalog.Artists.Select(a => a.NameKey).Distinct().Count());
        Assert.All(Catalog.Artists, a => Assert.Equal(ArtistSources.Demo, a.Source));
        Assert.Contains(Catalog.Artists, a => a.Genres.Length == 0);
        Assert.Contains(Catalog.Artists, a => a.Genres.Contains(','));
        var perArtist = Catalog.Tracks.GroupBy(t => t.PrimaryArtistKey).Select(g => g.Count()).ToList();
        Assert.True(perArtist.Count(n => n >= 5) > perArtist.Count / 3, "many artists have several tracks");
        Assert.Contains(Catalog.Tracks, t => t.Name.Contains("Remix"));
        Assert.Contains(Catalog.Tracks, t => t.Name.Contains("(feat. ") && t.Artists.Contains(';'));
    }

    [Fact]
    public void MetadataGenuinelyPredictsTheFeatures()
    {
        var tracks = Catalog.Tracks.Where(t => !t.Name.Contains(" - ") && !t.Name.Contains("(Live)")).ToList();
        var mean = tracks.Average(t => t.Energy);
        var total = tracks.Sum(t => Math.Pow(t.Energy - mean, 2));

        // Leave-one-out artist mean of energy, for artists with at least three tracks.
        var byArtist = tracks.GroupBy(t => t.PrimaryArtistKey).Where(g => g.Count() >= 3).ToList();
        var artistResidual = byArtist.Sum(g => g.Sum(t => Math.Pow(t.Energy - (g.Sum(x => x.Energy) - t.Energy) / (g.Count() - 1), 2)));
        var artistTotal = byArtist.Sum(g => g.Sum(t => Math.Pow(t.Energy - mean, 2)));
        var byGenre = tracks.GroupBy(t => t.TrackGenres).ToDictionary(g => g.Key, g => g.Average(t => t.Energy));
        var genreResidual = tracks.Sum(t => Math.Pow(t.Energy - byGenre[t.TrackGenres], 2));

        Assert.True(1 - genreResidual / total > 0.5, "the genre explains much of energy");
        Assert.True(1 - artistResidual / artistTotal > 0.6, "the artist's other tracks explain more");
        Assert.True(byGenre["metal"] > 0.8 && byGenre["classical"] < 0.3);
        var acoustic = Catalog.Tracks.Where(t => t.Name.EndsWith(" - Acoustic", StringComparison.Ordinal)).ToList();
        var artistEnergy = Catalog.Tracks.GroupBy(t => t.PrimaryArtistKey).ToDictionary(g => g.Key, g => g.Average(t => t.Energy));
        Assert.True(acoustic.Average(t => t.Energy - artistEnergy[t.PrimaryArtistKey]) < -0.1, "\"Acoustic\" in the title means quieter");
        // Era: within a genre, loudness rises with the release year (slope of a least-squares fit on genre-centred values).
        var centred = Catalog.Tracks.GroupBy(t => t.TrackGenres).SelectMany(g =>
        {
            var year = g.Average(t => t.ReleaseYear!.Value);
            var loud = g.Average(t => t.Loudness);
            return g.Select(t => (Year: t.ReleaseYear!.Value - year, Loud: t.Loudness - loud));
        }).ToList();
        var slope = centred.Sum(p => p.Year * p.Loud) / centred.Sum(p => p.Year * p.Year);
        Assert.True(slope > 0.05, $"newer releases are louder within a genre ({slope:F3} dB per year)");
    }

    [Fact]
    public void TheDemoLibraryMixesCatalogTracksNewTracksByKnownArtistsUnknownArtistsAndALocalFile()
    {
        var library = DemoLibraryGenerator.Generate(Catalog, size: 500, seed: 3);
        var again = DemoLibraryGenerator.Generate(Catalog, size: 500, seed: 3);
        var catalogIds = Catalog.Tracks.Select(t => t.Id).ToHashSet();
        var artistKeys = Catalog.Tracks.Select(t => t.PrimaryArtistKey).ToHashSet();

        Assert.Equal(library, again, (a, b) => a.Id == b.Id && a.Name == b.Name && a.KnownFeatures == b.KnownFeatures);
        Assert.Equal(500, library.Count);
        Assert.Equal(60, library.Count(t => t.Id is { } id && catalogIds.Contains(id)));
        var notInCatalog = library.Where(t => t.Id is null || !catalogIds.Contains(t.Id)).ToList();
        Assert.True(notInCatalog.Count(t => artistKeys.Contains(TextKeys.Normalize(t.PrimaryArtist))) > 250, "new tracks by known artists");
        Assert.True(notInCatalog.Count(t => !artistKeys.Contains(TextKeys.Normalize(t.PrimaryArtist)) && t.Genres.Count > 0) > 100, "unknown artists with genres");
        Assert.Contains(library, t => t.Genres.Count == 0 && t.Popularity is null && !t.IsLocal);
        Assert.Single(library, t => t.IsLocal && t.Id is null);
        Assert.All(library.Where(t => !t.IsLocal), t => Assert.NotNull(t.KnownFeatures));
    }

    [Fact]
    public void TheDemoLibraryClustersThroughTheCatalogByIdAndByArtistAndTitle()
    {
        var trained = ClusterModelTrainer.TrainWithLookup(Catalog.Tracks.Select(CatalogLookupEntry.From).ToList(), new ClusteringOptions { K = 6 });
        var model = new RecsModel(new ModelVersion { Id = "demo", K = 6 }, trained.Model, trained.Lookup, null);
        // As the listener gets it: the demo stands for a Spotify library, which carries no audio features of its own.
        var library = DemoLibraryGenerator.Generate(Catalog, size: 500, seed: 3).Select(t => t with { KnownFeatures = null }).ToList();

        var result = new LibraryClusterer().Cluster(model, library, useRecsModel: true);

        Assert.Equal(60, result.Coverage.MatchedById);
        Assert.Equal(20, result.Coverage.MatchedByArtistTitle); // the "other releases"
        Assert.Equal(result.Coverage.FromCatalog, result.Coverage.Clustered);
    }
}
