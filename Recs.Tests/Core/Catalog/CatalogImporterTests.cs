using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Postgres;

namespace Recs.Tests.Core.Catalog;

public sealed class CatalogImporterTests
{
    private static readonly string A = CatalogCsv.Id(1), B = CatalogCsv.Id(2), C = CatalogCsv.Id(3);

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AGoodKaggleFileImportsEveryTrackWithItsFeaturesAndLookupKeys(string provider)
    {
        using var db = new TestDatabase(provider);
        var csv = new CatalogCsv().Row(A).Row(B, "rock", ("artists", "Beyoncé;JAY-Z"), ("explicit", "True"), ("tempo", "98.25"));

        var result = await CatalogCsv.Importer(db).ImportAsync(csv.ToStream(), "tracks.csv");

        Assert.Equal((CatalogFormats.Kaggle, 2, 2, 0, 0, 2), (result.Format, result.RowsRead, result.TracksImported, result.DuplicatesMerged, result.RowsRejected, result.TracksNew));
        using var read = db.CreateDbContext();
        var b = read.CatalogTracks.Single(t => t.Id == B);
        Assert.Equal(("Beyoncé;JAY-Z", "beyonce", "a song", "rock", CatalogSources.Kaggle), (b.Artists, b.PrimaryArtistKey, b.TitleKey, b.TrackGenres, b.Source));
        Assert.Equal((98.25, 0.72, 0.61, 0.44, -6.5), (b.Tempo, b.Energy, b.Danceability, b.Valence, b.Loudness));
        Assert.Equal((5, 1, 4, 55, 210000, true), (b.Key, b.Mode, b.TimeSignature, b.Popularity!.Value, b.DurationMs, b.Explicit!.Value));
        Assert.Equal((0.05, 0.12, 0.0, 0.1), (b.Speechiness, b.Acousticness, b.Instrumentalness, b.Liveness));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task EveryKindOfBadRowIsRejectedWithItsLineAndReasonAndTheGoodRowsAreKept(string provider)
    {
        using var db = new TestDatabase(provider);
        var csv = new CatalogCsv()
            .Row(A)                                                  // line 2: good
            .Row("")                                        // 3
            .Row("not-an-id")                                        // 4
            .Row(CatalogCsv.Id(10), "pop", ("energy", "loud"))         // 5
            .Row(CatalogCsv.Id(11), "pop", ("valence", ""))            // 6
            .Row(CatalogCsv.Id(12), "pop", ("danceability", "1.2"))    // 7
            .Row(CatalogCsv.Id(13), "pop", ("loudness", "-61"))        // 8
            .Row(CatalogCsv.Id(14), "pop", ("key", "12"))              // 9
            .Row(CatalogCsv.Id(15), "pop", ("mode", "2"))              // 10
            .Row(CatalogCsv.Id(16), "pop", ("time_signature", "8"))    // 11
            .Row(CatalogCsv.Id(17), "pop", ("popularity", "101"))      // 12
            .Row(CatalogCsv.Id(18), "pop", ("tempo", "-3"))            // 13
            .Row(CatalogCsv.Id(19), "pop", ("duration_ms", "-1"))      // 14
            .Row(CatalogCsv.Id(20), "pop", ("explicit", "yes"))        // 15
            .Raw($"99,{CatalogCsv.Id(21)},Artist,Album,Song,50")     // 16: too few columns
            .Row(B);                                                 // 17: good

        var result = await CatalogCsv.Importer(db).ImportAsync(csv.ToStream(), "bad.csv");

        Assert.Equal((16, 2, 14), (result.RowsRead, result.TracksImported, result.RowsRejected));
        Assert.Equal(
            [
                (3, "track_id is missing"),
                (4, "track_id 'not-an-id' is not a Spotify track id (22 letters and digits)"),
                (5, "energy 'loud' is not a number"),
                (6, "valence is missing"),
                (7, "danceability 1.2 is outside [0, 1]"),
                (8, "loudness -61 is outside [-60, 5]"),
                (9, "key 12 is outside [-1, 11]"),
                (10, "mode 2 is outside [0, 1]"),
                (11, "time_signature 8 is outside [0, 7]"),
                (12, "popularity 101 is outside [0, 100]"),
                (13, "tempo -3 is below 0"),
                (14, "duration_ms -1 is outside [0, 2147483647]"),
                (15, "explicit 'yes' is not True or False"),
                (16, "has 6 fields, the header has 21"),
            ],
            result.Errors.Select(e => (e.Line, e.Message)));
        using var read = db.CreateDbContext();
        Assert.Equal([A, B], read.CatalogTracks.Select(t => t.Id).OrderBy(i => i).ToList());
    }

    [Fact]
    public async Task ARowAfterAnUnterminatedQuoteIsNamedNotSwallowed()
    {
        using var db = new TestDatabase();
        // Line 3's album opens a quote that only the quoted title on line 4 closes: the record spanning lines 3-4
        // still has 21 fields, so without a check line 4 disappears and track C is never mentioned.
        var broken = new CatalogCsv().Row(B).ToString().Split('\n')[1].Replace("An Album", "\"An Album");
        var csv = new CatalogCsv()
            .Row(A)                                                    // line 2: good
            .Raw(broken)                                               // 3: unterminated quote
            .Row(C, "pop", ("track_name", "Song, with a comma"))      // 4: swallowed into line 3's record
            .Row(CatalogCsv.Id(4));                                    // 5: good

        var result = await CatalogCsv.Importer(db).ImportAsync(csv.ToStream(), "quotes.csv");

        Assert.Equal((3, 2, 1), (result.RowsRead, result.TracksImported, result.RowsRejected));
        Assert.Equal(
            [(3, "unterminated quote: a quoted field opened on line 3 runs on past the end of the line; lines 3-4 could not be read")],
            result.Errors.Select(e => (e.Line, e.Message)));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ATempoOfZeroAndEmptyNamesAreKept(string provider)
    {
        using var db = new TestDatabase(provider);
        var csv = new CatalogCsv().Row(A, "pop", ("tempo", "0"), ("artists", ""), ("album_name", ""), ("track_name", ""));

        var result = await CatalogCsv.Importer(db).ImportAsync(csv.ToStream(), "t.csv");

        Assert.Equal(0, result.RowsRejected);
        using var read = db.CreateDbContext();
        var t = read.CatalogTracks.Single();
        Assert.Equal(("", "", "", 0.0), (t.Name, t.Artists, t.PrimaryArtistKey, t.Tempo));
        Assert.False(t.Features.HasTempo);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task DuplicatesOfATrackMergeTheirGenreLabelsAndTheFirstRowSetsTheValues(string provider)
    {
        using var db = new TestDatabase(provider);
        var csv = new CatalogCsv()
            .Row(A, "rock", ("popularity", "40"))
            .Row(B, "jazz")
            .Row(A, "indie", ("popularity", "41"))
            .Row(A, "alt-rock")
            .Row(A, "rock");

        var result = await CatalogCsv.Importer(db).ImportAsync(csv.ToStream(), "d.csv");

        Assert.Equal((5, 2, 3), (result.RowsRead, result.TracksImported, result.DuplicatesMerged));
        using var read = db.CreateDbContext();
        var a = read.CatalogTracks.Single(t => t.Id == A);
        Assert.Equal(("alt-rock;indie;rock", 40), (a.TrackGenres, a.Popularity!.Value));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ImportingTheSameFileAgainChangesNothing(string provider)
    {
        using var db = new TestDatabase(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var csv = new CatalogCsv().Row(A, "rock").Row(B).Row(A, "indie").Row(C, "pop", ("tempo", "0")).ToString();
        await CatalogCsv.Importer(db, time).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "x.csv");
        var before = Snapshot(db);

        time.Advance(TimeSpan.FromDays(1));
        var again = await CatalogCsv.Importer(db, time).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "x.csv");

        Assert.Equal((3, 0, 0, 3, 1), (again.TracksImported, again.TracksNew, again.TracksUpdated, again.TracksUnchanged, again.DuplicatesMerged));
        Assert.Equal(before, Snapshot(db));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ANewGenreLabelForAKnownTrackUpdatesItAndKeepsTheOldLabels(string provider)
    {
        using var db = new TestDatabase(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await CatalogCsv.Importer(db, time).ImportAsync(new CatalogCsv().Row(A, "rock").Row(B).ToStream(), "1.csv");
        time.Advance(TimeSpan.FromHours(1));

        var result = await CatalogCsv.Importer(db, time).ImportAsync(new CatalogCsv().Row(A, "blues").Row(B).ToStream(), "2.csv");

        Assert.Equal((0, 1, 1), (result.TracksNew, result.TracksUpdated, result.TracksUnchanged));
        using var read = db.CreateDbContext();
        var a = read.CatalogTracks.Single(t => t.Id == A);
        Assert.Equal("blues;rock", a.TrackGenres);
        Assert.Equal(time.GetUtcNow(), a.ImportedAt);
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromHours(1), read.CatalogTracks.Single(t => t.Id == B).ImportedAt);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task DuplicatesInTheSameWriteChunkAndInALaterOneCountAndMergeAsRowByRow(string provider)
    {
        // PostgreSQL writes a chunk of tracks at a time: a track's later rows either fold into its entry (same chunk)
        // or merge into the stored track (a later chunk). SQLite writes row by row; both must give the same figures.
        using var db = new TestDatabase(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var tracks = CatalogTrackWriter.PostgresChunkSize + 2;
        var first = new CatalogCsv().Row(CatalogCsv.Id(0), "rock", ("popularity", "40")).Row(CatalogCsv.Id(0), "indie", ("popularity", "41"));
        for (var i = 1; i < tracks; i++)
        {
            first.Row(CatalogCsv.Id(i));
        }

        first.Row(CatalogCsv.Id(0), "alt-rock").Row(CatalogCsv.Id(1), "pop");

        var imported = await CatalogCsv.Importer(db, time).ImportAsync(first.ToStream(), "1.csv");

        Assert.Equal((tracks + 3, tracks, 3, tracks, 0, 0), (imported.RowsRead, imported.TracksImported, imported.DuplicatesMerged, imported.TracksNew, imported.TracksUpdated, imported.TracksUnchanged));
        using (var read = db.CreateDbContext())
        {
            var zero = read.CatalogTracks.Single(t => t.Id == CatalogCsv.Id(0));
            Assert.Equal(("alt-rock;indie;rock", 40), (zero.TrackGenres, zero.Popularity!.Value));
            Assert.Equal("pop", read.CatalogTracks.Single(t => t.Id == CatalogCsv.Id(1)).TrackGenres);
        }

        // Again, one hour later: track 5 gains a label only from a duplicate in the later chunk, track 6's duplicate
        // there repeats a label it has, track 7's first row changes a value, and one track is new.
        time.Advance(TimeSpan.FromHours(1));
        var second = new CatalogCsv().Row(CatalogCsv.Id(0), "rock", ("popularity", "40"));
        for (var i = 1; i < tracks; i++)
        {
            second.Row(CatalogCsv.Id(i), "pop", i == 7 ? [("popularity", "60")] : []);
        }

        second.Row(CatalogCsv.Id(tracks)).Row(CatalogCsv.Id(5), "blues").Row(CatalogCsv.Id(6), "pop");
        var text = second.ToString();

        var again = await CatalogCsv.Importer(db, time).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "2.csv");
        var third = await CatalogCsv.Importer(db, time).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "2.csv");

        Assert.Equal((tracks + 1, 2, 1, 2, tracks - 2), (again.TracksImported, again.DuplicatesMerged, again.TracksNew, again.TracksUpdated, again.TracksUnchanged));
        Assert.Equal((0, 0, tracks + 1), (third.TracksNew, third.TracksUpdated, third.TracksUnchanged));
        using var after = db.CreateDbContext();
        var five = after.CatalogTracks.Single(t => t.Id == CatalogCsv.Id(5));
        var six = after.CatalogTracks.Single(t => t.Id == CatalogCsv.Id(6));
        Assert.Equal(("blues;pop", time.GetUtcNow()), (five.TrackGenres, five.ImportedAt));
        Assert.Equal(("pop", time.GetUtcNow() - TimeSpan.FromHours(1)), (six.TrackGenres, six.ImportedAt));
        Assert.Equal(60, after.CatalogTracks.Single(t => t.Id == CatalogCsv.Id(7)).Popularity);
        Assert.Equal(tracks + 1, after.CatalogTracks.Count());
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ALibraryExportWithAudioFeaturesImportsItsTracksWithReleaseDatesAndArtistGenres(string provider)
    {
        using var db = new TestDatabase(provider);
        const string header = "Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Added By,Added At,Genres,Record Label,Danceability,Energy,Key,Loudness,Mode,Speechiness,Acousticness,Instrumentalness,Liveness,Valence,Tempo,Time Signature";
        const string features = "0.5,0.6,1,-7,1,0.04,0.3,0,0.1,0.4,110,4";
        var csv = "\uFEFF" + header + "\n" +
            $"spotify:track:{A},Solo,Album,Candy Claws,6/25/2013,187143,37,FALSE,,,\"shoegaze,dream pop\",Label,{features}\n" +
            $"spotify:track:{B},Duet,Album,\"Tyler, The Creator;Lola Young\",2024-07,200000,80,true,,,\"hip hop,rap,pop\",Label,{features}\n" +
            $"spotify:local:Me:Tape:Song:100,,,,,,,,,,,,{features}\n" +
            $"spotify:track:{C},No features,Album,X,2020,1000,1,false,,,,Label,,,,,,,,,,,,\n" +
            $"spotify:track:{A},Solo again,Album,Candy Claws,2013,187143,37,FALSE,,,\"shoegaze,dream pop\",Label,{features}\n";

        var result = await CatalogCsv.Importer(db).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "Liked_Songs.csv");

        Assert.Equal((CatalogFormats.LibraryExport, 5, 2, 1, 2), (result.Format, result.RowsRead, result.TracksImported, result.DuplicatesMerged, result.RowsRejected));
        Assert.Equal([4, 5], result.Errors.Select(e => e.Line));
        Assert.Equal(1, result.ArtistsUpdated);
        using var read = db.CreateDbContext();
        var a = read.CatalogTracks.Single(t => t.Id == A);
        Assert.Equal((CatalogSources.LibraryExport, 2013, "2013-06-25", "shoegaze,dream pop", "Solo"), (a.Source, a.ReleaseYear!.Value, a.ReleaseDate, a.ArtistGenres, a.Name));
        var b = read.CatalogTracks.Single(t => t.Id == B);
        Assert.Equal(("Tyler, The Creator;Lola Young", "tyler the creator", "2024-07", true), (b.Artists, b.PrimaryArtistKey, b.ReleaseDate, b.Explicit!.Value));
        var artist = read.Artists.Single();
        Assert.Equal(("candy claws", "shoegaze,dream pop", ArtistSources.LibraryExport), (artist.NameKey, artist.Genres, artist.Source));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AnExportAddsReleaseDatesToKaggleTracksWithoutLosingTheirGenreLabels(string provider)
    {
        using var db = new TestDatabase(provider);
        await CatalogCsv.Importer(db).ImportAsync(new CatalogCsv().Row(A, "shoegaze").ToStream(), "k.csv");
        var export = "Track ID,Track Name,Artist Name(s),Release Date,Genres,Danceability,Energy,Key,Loudness,Mode,Speechiness,Acousticness,Instrumentalness,Liveness,Valence,Tempo,Time Signature\n" +
            $"{A},A Song,Main Artist,2001-02-03,indie,0.61,0.72,5,-6.5,1,0.05,0.12,0.0,0.1,0.44,121.5,4\n";

        var result = await CatalogCsv.Importer(db).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(export)), "e.csv");

        Assert.Equal(1, result.TracksUpdated);
        using var read = db.CreateDbContext();
        var a = read.CatalogTracks.Single();
        Assert.Equal((CatalogSources.Kaggle, "shoegaze", 2001, "indie", 55), (a.Source, a.TrackGenres, a.ReleaseYear!.Value, a.ArtistGenres, a.Popularity!.Value));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task TidyTuesdaySongsImportWithReleaseDatesAndPlaylistGenres(string provider)
    {
        using var db = new TestDatabase(provider);
        var csv = "track_id,track_name,track_artist,track_popularity,track_album_id,track_album_name,track_album_release_date,playlist_name,playlist_id,playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms\n" +
            $"{A},I Don't Care,Ed Sheeran,66,x,Album,2019-06-14,Pop Remix,p,pop,dance pop,0.748,0.916,6,-2.634,1,0.0583,0.102,0,0.0653,0.518,122.036,194754\n" +
            $"{A},I Don't Care,Ed Sheeran,66,x,Album,2019-06-14,Other,q,edm,electro house,0.748,0.916,6,-2.634,1,0.0583,0.102,0,0.0653,0.518,122.036,194754\n" +
            $"{B},Old,Someone,10,x,Album,1975,Classic,r,rock,classic rock,0.5,0.5,6,-9,1,0.05,0.1,0,0.06,0.5,100,180000\n";

        var result = await CatalogCsv.Importer(db).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "tidy.csv");

        Assert.Equal((CatalogFormats.TidyTuesday, 3, 2, 1, 0), (result.Format, result.RowsRead, result.TracksImported, result.DuplicatesMerged, result.RowsRejected));
        using var read = db.CreateDbContext();
        var a = read.CatalogTracks.Single(t => t.Id == A);
        Assert.Equal((CatalogSources.TidyTuesday, 2019, "dance pop;edm;electro house;pop", "ed sheeran"), (a.Source, a.ReleaseYear!.Value, a.TrackGenres, a.PrimaryArtistKey));
        Assert.Null(a.Explicit);
        Assert.Equal(1975, read.CatalogTracks.Single(t => t.Id == B).ReleaseYear);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AFileInNoKnownFormatIsRefusedNamingTheFileAndStoresNothing(string provider)
    {
        using var db = new TestDatabase(provider);

        var ex = await Assert.ThrowsAsync<CatalogFormatException>(() =>
            CatalogCsv.Importer(db).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes("id,title\n1,a\n")), "notes.csv"));

        Assert.Contains("notes.csv", ex.Message);
        Assert.Contains("'id', 'title'", ex.Message);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AnArtistTableGivenAsACatalogIsRefusedWithAPointerToItsVerb(string provider)
    {
        using var db = new TestDatabase(provider);

        var ex = await Assert.ThrowsAsync<CatalogFormatException>(() =>
            CatalogCsv.Importer(db).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes("genres,artists,tempo\npop,A,120\n")), "artist_genres.csv"));

        Assert.Contains("import-artist-genres", ex.Message);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ALibraryExportWithoutAudioFeaturesIsRefused(string provider)
    {
        using var db = new TestDatabase(provider);

        var ex = await Assert.ThrowsAsync<CatalogFormatException>(() =>
            CatalogCsv.Importer(db).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes($"Track URI,Track Name\nspotify:track:{A},x\n")), "lib.csv"));

        Assert.Contains("lib.csv", ex.Message);
        Assert.Contains("without audio-feature columns", ex.Message);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AKaggleHeaderMissingAFeatureColumnIsRefusedNamingTheColumn(string provider)
    {
        using var db = new TestDatabase(provider);
        var header = CatalogCsv.KaggleHeader.Replace(",valence", "");

        var ex = await Assert.ThrowsAsync<CatalogFormatException>(() =>
            CatalogCsv.Importer(db).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(header + "\n")), "k.csv"));

        Assert.Contains("valence", ex.Message);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ACancelledImportStoresNothing(string provider)
    {
        using var db = new TestDatabase(provider);
        var csv = new CatalogCsv();
        for (var i = 0; i < 6_000; i++)
        {
            csv.Row(CatalogCsv.Id(i));
        }

        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress<CatalogImportProgress>(p => cts.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CatalogCsv.Importer(db).ImportAsync(csv.ToStream(), "big.csv", progress, cts.Token));

        using var read = db.CreateDbContext();
        Assert.Equal(0, read.CatalogTracks.Count());
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AnUploadStreamThatOnlyReadsAsynchronouslyImports(string provider)
    {
        using var db = new TestDatabase(provider);
        var upload = new AsyncOnlyStream(new CatalogCsv().Row(A).Row(B).ToString());

        var result = await CatalogCsv.Importer(db).ImportAsync(upload, "upload.csv");

        Assert.Equal(2, result.TracksImported);
    }

    [SharedDataTheory("catalog/kaggle_tracks_subset.csv")]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task TheRealKaggleRowsImportCompletelyAndASecondImportChangesNothing(string provider)
    {
        using var db = new TestDatabase(provider);
        var file = SharedData.File("catalog/kaggle_tracks_subset.csv")!;

        var result = await CatalogCsv.Importer(db).ImportFileAsync(file);
        var again = await CatalogCsv.Importer(db).ImportFileAsync(file);

        Assert.Equal((16_692, 15_316, 1_376, 0), (result.RowsRead, result.TracksImported, result.DuplicatesMerged, result.RowsRejected));
        Assert.Equal((15_316, 0, 0), (result.TracksNew, result.TracksUpdated, result.TracksUnchanged));
        Assert.Equal((16_692, 0, 0, 15_316), (again.RowsRead, again.TracksNew, again.TracksUpdated, again.TracksUnchanged));
        using var read = db.CreateDbContext();
        Assert.Equal(15_316, read.CatalogTracks.Count());
        // Every one of the 114 genre labels survives the merge of duplicates, sorted and without repeats.
        var genres = read.CatalogTracks.Select(t => t.TrackGenres).ToList();
        Assert.Equal(114, genres.SelectMany(g => g.Split(';')).Distinct().Count());
        Assert.All(genres, g => Assert.Equal(string.Join(';', g.Split(';').Distinct().Order(StringComparer.Ordinal)), g));
    }

    [SharedDataFact("libraries/sjdoane/Liked_Songs.csv")]
    public async Task RealExportsOfEveryHeaderVariantImportAsCatalogTracksWithOnlyFeaturelessRowsRejected()
    {
        using var db = new TestDatabase();
        var importer = CatalogCsv.Importer(db);
        var (rows, rejected, skipped) = (0, 0, 0);
        // The largest file of each person's folder: every header variant, ~7,000 rows (the reader test reads all files).
        var files = Directory.GetDirectories(Path.Combine(SharedData.Directory!, "libraries"))
            .Select(d => Directory.GetFiles(d, "*.csv").MaxBy(f => new FileInfo(f).Length)!);
        foreach (var file in files)
        {
            var result = await importer.ImportFileAsync(file);
            Assert.Equal(CatalogFormats.LibraryExport, result.Format);
            Assert.All(result.Errors, e => Assert.Contains("audio features are missing", e.Message));
            (rows, rejected, skipped) = (rows + result.RowsRead, rejected + result.RowsRejected, skipped + result.RowsSkipped);
        }

        // A few real rows have blank feature cells.
        Assert.True(rejected <= 5, $"{rejected} rejected");
        using var read = db.CreateDbContext();
        var tracks = read.CatalogTracks.Count();
        Assert.True(tracks > 5_000, $"{tracks} tracks from {rows} rows");
        Assert.True(read.CatalogTracks.Count(t => t.ReleaseYear != null) > tracks * 0.95);
        Assert.True(read.Artists.Count(a => a.Genres != "") > 300);
    }

    private static List<string> Snapshot(TestDatabase db)
    {
        using var read = db.CreateDbContext();
        return read.CatalogTracks.AsNoTracking().OrderBy(t => t.Id).AsEnumerable()
            .Select(t => $"{t.Id}|{t.Name}|{t.Artists}|{t.TrackGenres}|{t.Popularity}|{t.Tempo}|{t.ImportedAt:O}|{t.Source}")
            .ToList();
    }

    /// <summary>Like a Blazor or Kestrel upload stream: synchronous reads throw.</summary>
    private sealed class AsyncOnlyStream(string text) : Stream
    {
        private readonly MemoryStream _inner = new(Encoding.UTF8.GetBytes(text));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous reads are not supported");
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class SyntheticKaggleFileTests
{
    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task TheSyntheticFileImportsWithoutRejectionsAndRepeatsTracksLikeTheRealOne(string provider)
    {
        using var db = new TestDatabase(provider);
        var text = new StringWriter();
        SyntheticKaggleFile.Write(text, rows: 2_000, seed: 7);

        var result = await CatalogCsv.Importer(db).ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.ToString())), "synthetic.csv");

        Assert.Equal((2_000, 1_560, 440, 0), (result.RowsRead, result.TracksImported, result.DuplicatesMerged, result.RowsRejected));
    }

    [Fact]
    public void TheSyntheticFileIsTheSameForTheSameSeed()
    {
        var a = new StringWriter();
        var b = new StringWriter();
        SyntheticKaggleFile.Write(a, rows: 300, seed: 3);
        SyntheticKaggleFile.Write(b, rows: 300, seed: 3);

        Assert.Equal(a.ToString(), b.ToString());
    }
}
