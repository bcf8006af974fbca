using System.Text;
using Microsoft.Extensions.Time.Testing;
using Recs.Core.Catalog;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Postgres;

namespace Recs.Tests.Core.Catalog;

public sealed class ArtistGenresImporterTests
{
    private const string Header = "genres,artists,acousticness,danceability,duration_ms,energy,instrumentalness,liveness,loudness,speechiness,tempo,valence,popularity,key,mode,count";

    private static MemoryStream Csv(params string[] rows) => new(Encoding.UTF8.GetBytes(Header + "\n" + string.Join("\n", rows) + "\n"));

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task GenresAndTheArtistsMeanFeaturesAreStoredUnderANormalisedName(string provider)
    {
        using var db = new TestDatabase(provider);

        var result = await CatalogCsv.ArtistImporter(db).ImportAsync(Csv(
            "\"emo rap, florida rap, sad rap\",XXXTENTACION,0.4,0.7,180000,0.55,0.01,0.2,-8.5,0.1,130.5,0.35,75.5,5,1,40",
            "[],\"\"\"Cats\"\" 1983 Broadway Cast\",0.86,0.44,287280,0.4,0.08,0.31,-10.69,0.17,103.04,0.26,30.57,5,1,26",
            "\"['dance pop', 'pop']\",Beyoncé,0.2,0.6,240000,0.7,0,0.2,-6,0.1,0,0.5,80,1,1,100"), "artist_genres.csv");

        Assert.Equal((3, 3, 2, 0, 3), (result.RowsRead, result.ArtistsImported, result.ArtistsWithGenres, result.RowsRejected, result.ArtistsNew));
        using var read = db.CreateDbContext();
        var x = read.Artists.Single(a => a.NameKey == "xxxtentacion");
        Assert.Equal(("XXXTENTACION", "emo rap,florida rap,sad rap", ArtistSources.ArtistTable), (x.Name, x.Genres, x.Source));
        Assert.Equal((130.5, 0.55, 0.7, 0.35, -8.5, 75.5, 40), (x.TableTempo!.Value, x.TableEnergy!.Value, x.TableDanceability!.Value, x.TableValence!.Value, x.TableLoudness!.Value, x.TablePopularity!.Value, x.TableTrackCount!.Value));
        Assert.Equal("", read.Artists.Single(a => a.NameKey == "cats 1983 broadway cast").Genres);
        var beyonce = read.Artists.Single(a => a.NameKey == "beyonce");
        Assert.Equal("dance pop,pop", beyonce.Genres);
        Assert.Null(beyonce.TableTempo); // a mean tempo of 0: no track had a detected tempo
        Assert.Null(beyonce.TableFeatures);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task GenresFromSpotifyAreNeverReplacedButTheTablesMeansAreAdded(string provider)
    {
        using var db = new TestDatabase(provider);
        using (var write = db.CreateDbContext())
        {
            write.Artists.Add(new Artist { NameKey = "drake", Name = "Drake", Genres = "canadian hip hop,rap", Source = ArtistSources.Spotify, SpotifyId = "3TVXtAsR1Inumwj472S9r4" });
            write.Artists.Add(new Artist { NameKey = "adele", Name = "Adele", Genres = "", Source = ArtistSources.Spotify });
            write.SaveChanges();
        }

        var result = await CatalogCsv.ArtistImporter(db).ImportAsync(Csv(
            "\"pop rap, toronto rap\",Drake,0.1,0.7,200000,0.6,0,0.2,-7,0.2,120,0.4,85,1,1,200",
            "\"british soul, pop\",Adele,0.5,0.5,230000,0.4,0,0.1,-7,0.04,110,0.3,80,1,1,50"), "a.csv");

        Assert.Equal((0, 2), (result.ArtistsNew, result.ArtistsUpdated));
        using var read = db.CreateDbContext();
        var drake = read.Artists.Single(a => a.NameKey == "drake");
        Assert.Equal(("canadian hip hop,rap", ArtistSources.Spotify, "3TVXtAsR1Inumwj472S9r4", 120.0), (drake.Genres, drake.Source, drake.SpotifyId, drake.TableTempo!.Value));
        var adele = read.Artists.Single(a => a.NameKey == "adele");
        Assert.Equal(("british soul,pop", ArtistSources.ArtistTable), (adele.Genres, adele.Source)); // Spotify gave none: the table fills in
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task NamesThatNormaliseAlikeKeepTheRowOverMoreTracksAndASecondImportChangesNothing(string provider)
    {
        using var db = new TestDatabase(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string[] rows =
        [
            "pop,Beyonce,0.2,0.6,240000,0.7,0,0.2,-6,0.1,100,0.5,80,1,1,3",
            "\"dance pop, r&b\",Beyoncé,0.2,0.6,240000,0.7,0,0.2,-6,0.1,120,0.5,80,1,1,90",
            "rock,BEYONCE ,0.2,0.6,240000,0.7,0,0.2,-6,0.1,140,0.5,80,1,1,5",
        ];

        var first = await CatalogCsv.ArtistImporter(db, time).ImportAsync(Csv(rows), "a.csv");
        time.Advance(TimeSpan.FromDays(1));
        var second = await CatalogCsv.ArtistImporter(db, time).ImportAsync(Csv(rows), "a.csv");

        Assert.Equal((1, 2), (first.ArtistsImported, first.DuplicatesSkipped));
        Assert.Equal((0, 0, 1), (second.ArtistsNew, second.ArtistsUpdated, second.ArtistsUnchanged));
        using var read = db.CreateDbContext();
        var b = read.Artists.Single();
        Assert.Equal(("dance pop,r&b", 120.0, 90, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), (b.Genres, b.TableTempo!.Value, b.TableTrackCount!.Value, b.UpdatedAt));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task BadRowsAreRejectedWithTheirLineAndTheRestIsImported(string provider)
    {
        using var db = new TestDatabase(provider);

        var result = await CatalogCsv.ArtistImporter(db).ImportAsync(Csv(
            "pop,Good,0.2,0.6,240000,0.7,0,0.2,-6,0.1,100,0.5,80,1,1,3",
            "pop,,0.2,0.6,240000,0.7,0,0.2,-6,0.1,100,0.5,80,1,1,3",
            "pop,Loud,0.2,0.6,240000,0.7,0,0.2,loud,0.1,100,0.5,80,1,1,3",
            "pop,Energetic,0.2,0.6,240000,1.7,0,0.2,-6,0.1,100,0.5,80,1,1,3",
            "pop,Short,0.2"), "a.csv");

        Assert.Equal((1, 4), (result.ArtistsImported, result.RowsRejected));
        Assert.Equal(
            [(3, "artists (the name) is missing"), (4, "loudness 'loud' is not a number"), (5, "energy 1.7 is outside [0, 1]"), (6, "has 3 fields, the header has 16")],
            result.Errors.Select(e => (e.Line, e.Message)));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AFileWithoutGenresAndArtistsColumnsIsRefused(string provider)
    {
        using var db = new TestDatabase(provider);

        var ex = await Assert.ThrowsAsync<CatalogFormatException>(() =>
            CatalogCsv.ArtistImporter(db).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes("name,genre\nA,pop\n")), "wrong.csv"));

        Assert.Contains("wrong.csv", ex.Message);
        Assert.Contains("'genres'", ex.Message);
    }

    [SharedDataFact("artists/artist_genres.csv")]
    public async Task TheRealArtistTableImports()
    {
        using var db = new TestDatabase();

        var result = await CatalogCsv.ArtistImporter(db).ImportFileAsync(SharedData.File("artists/artist_genres.csv")!);

        Assert.Equal(28_680, result.RowsRead);
        // One real row names its artist "\": nothing to join on, so it is reported rather than stored.
        Assert.All(result.Errors, e => Assert.Contains("no letters or digits", e.Message));
        Assert.True(result.RowsRejected <= 1, string.Join("; ", result.Errors));
        Assert.True(result.ArtistsWithGenres > 18_000, $"{result.ArtistsWithGenres} with genres");
        using var read = db.CreateDbContext();
        Assert.Equal(result.ArtistsImported, read.Artists.Count());
        Assert.True(read.Artists.Count(a => a.TableEnergy != null) == result.ArtistsImported);
    }
}
