using System.Text.Json;
using Recs.Tests.TestSupport;
using Recs.Web.Cli;

namespace Recs.Tests.Web.Cli;

public sealed class CatalogVerbsTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliRunner.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task ImportCatalogPrintsTheContractJsonAndListsBadLines()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("tracks.csv");
        File.WriteAllText(csv, new CatalogCsv().Row(CatalogCsv.Id(1), "rock").Row(CatalogCsv.Id(1), "pop").Row(CatalogCsv.Id(2), "pop", ("energy", "x")).Row(CatalogCsv.Id(3)).ToString());

        var (exit, stdout, stderr) = await RunAsync("import-catalog", "--csv", csv, "--json", "--data-dir", dir.File("data"));

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal((4, 2, 1, 1), (root.GetProperty("rows_read").GetInt32(), root.GetProperty("tracks_imported").GetInt32(),
            root.GetProperty("duplicates_merged").GetInt32(), root.GetProperty("rows_rejected").GetInt32()));
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal((4, "energy 'x' is not a number"), (error.GetProperty("line").GetInt32(), error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task ImportCatalogSummaryNamesEachBadLineAndASecondRunChangesNothing()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("tracks.csv");
        File.WriteAllText(csv, new CatalogCsv().Row(CatalogCsv.Id(1)).Row("bad").ToString());

        var first = await RunAsync("import-catalog", "--csv", csv, "--data-dir", dir.File("data"));
        var second = await RunAsync("import-catalog", "--csv", csv, "--data-dir", dir.File("data"));

        Assert.Equal(0, first.Exit);
        Assert.Contains("line 3: track_id 'bad' is not a Spotify track id", first.Out);
        Assert.Contains("(1 new, 0 updated, 0 unchanged)", first.Out);
        Assert.Contains("(0 new, 0 updated, 1 unchanged)", second.Out);
    }

    [Fact]
    public async Task ImportCatalogExitsNonZeroWhenTheFileIsMissing()
    {
        using var dir = new TempDirectory();

        var (exit, _, stderr) = await RunAsync("import-catalog", "--csv", dir.File("nope.csv"), "--data-dir", dir.File("data"));

        Assert.Equal(2, exit);
        Assert.Contains("file not found", stderr);
        Assert.Contains("nope.csv", stderr);
    }

    [Fact]
    public async Task ImportCatalogExitsNonZeroWhenTheFileIsNotACatalog()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("notes.csv");
        File.WriteAllText(csv, "id,title\n1,a\n");

        var (exit, stdout, stderr) = await RunAsync("import-catalog", "--csv", csv, "--json", "--data-dir", dir.File("data"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("notes.csv: not a known catalog format", stderr);
    }

    [Fact]
    public async Task ImportArtistGenresReportsTheArtistsAsJson()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("artist_genres.csv");
        File.WriteAllText(csv,
            "genres,artists,acousticness,danceability,duration_ms,energy,instrumentalness,liveness,loudness,speechiness,tempo,valence,popularity,key,mode,count\n" +
            "\"dark trap, meme rap\",Someone,0.1,0.7,200000,0.6,0,0.2,-7,0.2,120,0.4,50,1,1,12\n" +
            "[],Nobody,0.1,0.7,200000,0.6,0,0.2,-7,0.2,120,0.4,50,1,1,2\n");

        var (exit, stdout, stderr) = await RunAsync("import-artist-genres", "--csv", csv, "--json", "--data-dir", dir.File("data"));

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal((2, 2, 1, 0), (json.RootElement.GetProperty("rows_read").GetInt32(), json.RootElement.GetProperty("artists_imported").GetInt32(),
            json.RootElement.GetProperty("artists_with_genres").GetInt32(), json.RootElement.GetProperty("rows_rejected").GetInt32()));
    }
}
