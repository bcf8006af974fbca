using System.Text;
using Recs.Core;
using Recs.Core.Libraries;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.Libraries;

public sealed class LibraryFileReaderTests
{
    private const string Header2025 =
        "Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Added By,Added At,Genres,Record Label,Danceability,Energy,Key,Loudness,Mode,Speechiness,Acousticness,Instrumentalness,Liveness,Valence,Tempo,Time Signature";

    private const string Header2024 =
        "Track ID,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Added By,Added At,Genres,Record Label,Danceability,Energy,Key,Loudness,Mode,Speechiness,Acousticness,Instrumentalness,Liveness,Valence,Tempo,Time Signature";

    private const string Features = "0.929,0.563,9,-7.428,1,0.49,0.000592,0,0.244,0.353,129.957,4";

    private static LibraryReadResult Read(string csv, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        if (bom)
        {
            bytes = [.. Encoding.UTF8.GetPreamble(), .. bytes];
        }

        return LibraryFileReader.Read(new MemoryStream(bytes), "test.csv");
    }

    [Fact]
    public void AnExportifyFileWithUrisBomAndFeaturesReadsEveryField()
    {
        var result = Read(Header2025 + "\n" +
            "spotify:track:1o3amYz7RPk7OpVLbarVcQ,\"Homecoming\",\"Eternal Atake\",\"Lil Uzi Vert;Pharrell Williams\",2020-03-06,213884,72,true,,2022-02-24T18:31:56Z,\"hip hop,melodic rap\",\"Atlantic\"," + Features + "\n", bom: true);

        Assert.Empty(result.Errors);
        Assert.True(result.HasAudioFeatures);
        var t = Assert.Single(result.Tracks);
        Assert.Equal("1o3amYz7RPk7OpVLbarVcQ", t.Id);
        Assert.Equal("Homecoming", t.Name);
        Assert.Equal(["Lil Uzi Vert", "Pharrell Williams"], t.Artists);
        Assert.Equal("Eternal Atake", t.Album);
        Assert.Equal(2020, t.ReleaseYear);
        Assert.Equal(213884, t.DurationMs);
        Assert.Equal(72, t.Popularity);
        Assert.True(t.Explicit);
        Assert.Equal(["hip hop", "melodic rap"], t.Genres);
        Assert.False(t.IsLocal);
        Assert.Equal(new AudioFeatures(129.957, 0.563, 0.929, 0.353, -7.428), t.KnownFeatures);
    }

    [Fact]
    public void TheDecember2024HeaderWithTrackIdAndNoExplicitColumnReads()
    {
        var result = Read(Header2024 + "\n" +
            "6vxU64pcIuQ38O015Zy4qj,\"Neon Guts\",\"Luv Is Rage 2\",\"Lil Uzi Vert,Pharrell Williams\",2017-08-25,258789,67,me,2022-02-24T18:36:57Z,\"hip hop,rap\",\"Generation Now\"," + Features + "\n");

        var t = Assert.Single(result.Tracks);
        Assert.Equal("6vxU64pcIuQ38O015Zy4qj", t.Id);
        Assert.Null(t.Explicit);
        Assert.Equal(["Lil Uzi Vert", "Pharrell Williams"], t.Artists);
    }

    [Fact]
    public void SpotifyIdHeaderPaddedWithTabsIsRecognised()
    {
        var header = Header2024.Replace("Track ID", "Spotify ID").Replace("Danceability", "\t\t\t\tDanceability");
        var result = Read(header + "\n1I08zQMc1sHy2xwd8itedV,\"Soh-Soh\",\"Sunday At Zuri's\",\"Odeal\",2024-07-05,184552,71,x,2024-09-25T19:56:38Z,\"uk contemporary r&b\",\"OVMBR\"," + Features + "\n", bom: true);

        Assert.Empty(result.Errors);
        Assert.True(result.HasAudioFeatures);
        Assert.Equal(0.929, Assert.Single(result.Tracks).KnownFeatures!.Value.Danceability);
    }

    [Fact]
    public void TheOldExportifyHeaderWithoutAudioFeaturesReads()
    {
        const string header = "Track URI,Track Name,Artist URI,Artist Name,Album URI,Album Name,Album Release Date,Disc Number,Track Number,Track Duration (ms),Explicit,Popularity,Added By,Added At,Artist Genres";
        var result = Read(header + "\n" +
            "spotify:track:4uLU6hMCjMI75M1A2tKUQC,Never Gonna Give You Up,spotify:artist:0gxyHStUsqpMadRV0Di1Qt,Rick Astley,spotify:album:x,Whenever You Need Somebody,1987-11-12,1,1,213573,FALSE,80,,2020-01-01T00:00:00Z,\"dance rock,new wave pop\"\n");

        Assert.Empty(result.Errors);
        Assert.False(result.HasAudioFeatures);
        var t = Assert.Single(result.Tracks);
        Assert.Equal((1987, 213573, false, 80), (t.ReleaseYear, t.DurationMs, t.Explicit!.Value, t.Popularity!.Value));
        Assert.Equal(["0gxyHStUsqpMadRV0Di1Qt"], t.ArtistIds);
        Assert.Equal(["dance rock", "new wave pop"], t.Genres);
        Assert.Null(t.KnownFeatures);
    }

    [Theory]
    [InlineData("2013", 2013)]
    [InlineData("2013-06", 2013)]
    [InlineData("2013-06-25", 2013)]
    [InlineData("6/25/2013", 2013)]
    [InlineData("12/1/1999", 1999)]
    [InlineData("0000", null)]
    [InlineData("", null)]
    public void EveryReleaseDateFormatGivesTheYear(string date, int? year)
    {
        var result = Read(Header2025 + "\nspotify:track:1o3amYz7RPk7OpVLbarVcQ,A,B,C," + date + ",1000,1,FALSE,,,,," + Features + "\n");

        Assert.Empty(result.Errors);
        Assert.Equal(year, Assert.Single(result.Tracks).ReleaseYear);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("", null)]
    public void ExplicitIsReadInEveryCase(string cell, bool? expected)
    {
        var result = Read(Header2025 + "\nspotify:track:1o3amYz7RPk7OpVLbarVcQ,A,B,C,2001,1000,1," + cell + ",,,,," + Features + "\n");

        Assert.Equal(expected, Assert.Single(result.Tracks).Explicit);
    }

    [Fact]
    public void BlankFeatureCellsLeaveKnownFeaturesOutButKeepTheTrack()
    {
        var result = Read(Header2025 + "\nspotify:track:295uck3ky42Qj4rxbISGG5,Dreams,Dreams,X.L.T,8/16/2021,159027,75,FALSE,,,,X.L.T,,,,,,,,,,,,\n");

        Assert.Empty(result.Errors);
        var t = Assert.Single(result.Tracks);
        Assert.Null(t.KnownFeatures);
        Assert.True(result.HasAudioFeatures);
    }

    [Fact]
    public void ATempoOfZeroIsKeptAsNotDetected()
    {
        var result = Read(Header2025 + "\nspotify:track:1o3amYz7RPk7OpVLbarVcQ,A,B,C,2013,187143,37,FALSE,,,,,0,0.196,9,-6.241,1,0,0.335,0.974,0.0481,0,0,0\n");

        var f = Assert.Single(result.Tracks).KnownFeatures!.Value;
        Assert.False(f.HasTempo);
        Assert.Equal(0.196, f.Energy);
    }

    [Fact]
    public void PopularityAndFeatureColumnsMayBeAbsent()
    {
        var result = Read("Track URI,Track Name,Artist Name(s)\nspotify:track:1o3amYz7RPk7OpVLbarVcQ,Song,\"A,B\"\n");

        var t = Assert.Single(result.Tracks);
        Assert.Null(t.Popularity);
        Assert.Null(t.ReleaseYear);
        Assert.False(result.HasAudioFeatures);
        Assert.Equal(["A", "B"], t.Artists);
    }

    [Fact]
    public void ALocalFileIsKeptWithoutAnIdAndNamedFromItsUri()
    {
        var result = Read("Track URI,Track Name,Artist Name(s),Album Name\nspotify:local:My+Band:Demo+Tape:First+Song:187,,,\n");

        var t = Assert.Single(result.Tracks);
        Assert.True(t.IsLocal);
        Assert.Null(t.Id);
        Assert.Equal(("First Song", "My Band", "Demo Tape"), (t.Name, t.PrimaryArtist, t.Album));
    }

    [Fact]
    public void ArtistsJoinedWithSemicolonsKeepNamesThatContainCommas()
    {
        var result = Read(Header2025 + "\n" +
            "spotify:track:1o3amYz7RPk7OpVLbarVcQ,A,B,\"Tyler, The Creator;Lola Young\",2024,1000,1,FALSE,,,,," + Features + "\n" +
            "spotify:track:0rHMGnd6wIgaF67ANAVdyC,A,B,\"Earth, Wind & Fire\",2024,1000,1,FALSE,,,,," + Features + "\n");

        Assert.Equal(["Tyler, The Creator", "Lola Young"], result.Tracks[0].Artists);
        Assert.Equal(["Earth, Wind & Fire"], result.Tracks[1].Artists);
    }

    [Fact]
    public void BadRowsAreReportedWithLineAndFieldAndGoodRowsAreKept()
    {
        var csv = Header2025 + "\n" +
            "spotify:track:1o3amYz7RPk7OpVLbarVcQ,Good,B,C,2013,1000,1,FALSE,,,,," + Features + "\n" + // line 2
            ",Named but no id,B,C,2013,1000,1,FALSE,,,,," + Features + "\n" + // 3
            "spotify:track:short,Bad id,B,C,2013,1000,1,FALSE,,,,," + Features + "\n" + // 4
            "spotify:track:0rHMGnd6wIgaF67ANAVdyC,Too few,B,C\n" + // 5
            "spotify:track:0rHMGnd6wIgaF67ANAVdyC,Bad energy,B,C,2013,1000,1,FALSE,,,,,0.5,lots,9,-7,1,0.4,0.1,0,0.2,0.3,120,4\n" + // 6
            "spotify:track:0rHMGnd6wIgaF67ANAVdyC,Bad duration,B,C,2013,long,1,FALSE,,,,," + Features + "\n" + // 7
            "spotify:track:0rHMGnd6wIgaF67ANAVdyC,Bad date,B,C,June,1000,1,FALSE,,,,," + Features + "\n" + // 8
            "spotify:track:0rHMGnd6wIgaF67ANAVdyC,Bad explicit,B,C,2013,1000,1,maybe,,,,," + Features + "\n" + // 9
            "spotify:track:0rHMGnd6wIgaF67ANAVdyC,Too loud,B,C,2013,1000,1,FALSE,,,,,0.5,0.5,9,12,1,0.4,0.1,0,0.2,0.3,120,4\n" + // 10
            "spotify:track:0rHMGnd6wIgaF67ANAVdyC,\"Multi\nline title\",B,C,2013,1000,1,FALSE,,,,," + Features + "\n" + // 11-12
            "spotify:track:0rHMGnd6wIgaF67ANAVdyC,Popular,B,C,2013,1000,101,FALSE,,,,," + Features + "\n"; // 13

        var result = Read(csv);

        Assert.Equal(11, result.RowsRead); // the quoted title spans lines 11-12
        Assert.Equal(["Good", "Multi\nline title"], result.Tracks.Select(t => t.Name));
        Assert.Collection(result.Errors,
            e => Assert.Equal((3, "Track URI is empty (and the row is not a local file)"), (e.Line, e.Message)),
            e => Assert.Equal((4, "Track URI 'spotify:track:short' is not a Spotify track id or URI"), (e.Line, e.Message)),
            e => Assert.Equal((5, "has 4 fields, the header has 24"), (e.Line, e.Message)),
            e => Assert.Equal((6, "Energy 'lots' is not a number"), (e.Line, e.Message)),
            e => Assert.Equal((7, "Duration (ms) 'long' is not a whole number"), (e.Line, e.Message)),
            e => Assert.Equal((8, "Release Date 'June' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or M/D/YYYY)"), (e.Line, e.Message)),
            e => Assert.Equal((9, "Explicit 'maybe' is not true or false"), (e.Line, e.Message)),
            e => Assert.Equal((10, "Loudness: loudness 12 is outside [-60, 5]"), (e.Line, e.Message)),
            e => Assert.Equal((13, "Popularity: popularity 101 is outside [0, 100]"), (e.Line, e.Message)));
    }

    [Fact]
    public void AnEmptyRowForAnUnavailableItemIsSkippedNotAnError()
    {
        var result = Read(Header2025 + "\n,\"undefined\",\"undefined\",\"undefined\",,,,,someone,2020-03-07T20:54:55Z,\"\",\"undefined\",,,,,,,,,,,,\n");

        Assert.Empty(result.Tracks);
        Assert.Empty(result.Errors);
        Assert.Equal(2, Assert.Single(result.Skipped).Line);
    }

    [Fact]
    public void AFileWithoutATrackIdColumnIsRejectedNamingTheFileAndTheColumn()
    {
        var ex = Assert.Throws<LibraryFormatException>(() =>
            LibraryFileReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("name,artist\nA,B\n")), "songs.csv"));

        Assert.Contains("songs.csv", ex.Message);
        Assert.Contains("Track URI", ex.Message);
        Assert.Contains("'name'", ex.Message);
    }

    [Fact]
    public void AnEmptyFileIsRejected()
    {
        var ex = Assert.Throws<LibraryFormatException>(() => LibraryFileReader.Read(new MemoryStream(), "empty.csv"));

        Assert.Contains("empty.csv", ex.Message);
    }

    [Fact]
    public void MoreRowsThanTheLimitAreRefused()
    {
        var csv = "Track ID,Track Name\n" + string.Concat(Enumerable.Repeat("1o3amYz7RPk7OpVLbarVcQ,A\n", 4));

        var ex = Assert.Throws<LibraryFormatException>(() =>
            LibraryFileReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "big.csv", new LibraryReadOptions { MaxRows = 3 }));
        Assert.Contains("more than 3 rows", ex.Message);
    }

    [Fact]
    public async Task ALargeUploadIsRefusedBeforeItIsRead()
    {
        var bytes = Encoding.UTF8.GetBytes("Track ID,Track Name\n" + new string('x', 5000));

        var ex = await Assert.ThrowsAsync<LibraryFormatException>(() =>
            LibraryFileReader.ReadAsync(new MemoryStream(bytes), "big.csv", new LibraryReadOptions { MaxBytes = 1000 }));
        Assert.Contains("big.csv", ex.Message);
    }

    [SharedDataFact("libraries/sjdoane/Liked_Songs.csv")]
    public void EveryRealExportReadsWithoutErrors()
    {
        var files = Directory.GetFiles(Path.Combine(SharedData.Directory!, "libraries"), "*.csv", SearchOption.AllDirectories);
        var rows = 0;
        var tracks = 0;
        foreach (var file in files)
        {
            var result = LibraryFileReader.ReadFile(file);
            Assert.True(result.Errors.Count == 0, $"{file}: {string.Join("; ", result.Errors.Take(3))}");
            Assert.True(result.HasAudioFeatures, file);
            rows += result.RowsRead;
            tracks += result.Tracks.Count;
            Assert.Equal(result.RowsRead, result.Tracks.Count + result.Skipped.Count);
        }

        // The data README says 124 files; the folder holds 121 (4 + 105 + 1 + 1 + 9 + 1).
        Assert.True(files.Length >= 100, $"{files.Length} files");
        Assert.True(rows > 9_000, $"{rows} rows");
        Assert.True(tracks >= rows - 5, $"{tracks} tracks of {rows} rows");
    }
}

public sealed class LibraryFileReaderOtherFormatsTests
{
    [Fact]
    public void AKaggleFormatFileReadsAsALibraryWithKnownFeatures()
    {
        var csv = new CatalogCsv().Row(CatalogCsv.Id(1)).Row(CatalogCsv.Id(2), "rock", ("artists", "Solo")).ToString();

        var result = LibraryFileReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "dataset.csv");

        Assert.Empty(result.Errors);
        Assert.True(result.HasAudioFeatures);
        Assert.Equal(["Main Artist", "Guest"], result.Tracks[0].Artists);
        Assert.Equal((121.5, 55, 210000, false), (result.Tracks[0].KnownFeatures!.Value.Tempo, result.Tracks[0].Popularity!.Value, result.Tracks[0].DurationMs!.Value, result.Tracks[0].Explicit!.Value));
    }

    [Theory]
    [InlineData("2013-6-5", 2013, "2013-06-05")]
    [InlineData("1999-00-00", 1999, "1999")]
    [InlineData("2013-02-30", null, null)]
    [InlineData("13/1/2020", null, null)]
    public void ReleaseDatesAreNormalisedToIso(string text, int? year, string? iso)
    {
        var (y, date, ok) = ReleaseDates.Parse(text);

        Assert.Equal((year, iso, year is not null), (y, date, ok));
    }
}
