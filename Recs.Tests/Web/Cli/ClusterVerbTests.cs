using System.Text.Json;
using Recs.Core;
using Recs.Core.Clustering;
using Recs.Tests.TestSupport;
using Recs.Web.Cli;

namespace Recs.Tests.Web.Cli;

public sealed class ClusterVerbTests : IDisposable
{
    private const string Header = "Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Added By,Added At,Genres";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliRunner.RunAsync([.. args, "--data-dir", _dir.Path], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private async Task<string> ActivateSyntheticModelAsync()
    {
        var models = new TestModels(new DataDirectoryDatabase(_dir.Path).Migrate(), _dir.Path);
        var version = await models.CreateVersionAsync(4);
        await models.Registry.ActivateAsync(version.Id);
        return version.Id;
    }

    private string Library(params string[] rows)
    {
        var path = _dir.File("library.csv");
        File.WriteAllLines(path, [Header, .. rows]);
        return path;
    }

    [Fact]
    public async Task ClusterPrintsTheDesignSection6ShapeWithCatalogTracksAndListsTheRestAsUnclustered()
    {
        var versionId = await ActivateSyntheticModelAsync();
        // SyntheticFeatures.Entries: track i has SyntheticFeatures.Id(i), artist "artist {i % 50}", title "title {i}".
        var library = Library(
            "spotify:track:" + SyntheticFeatures.Id(1) + ",Title 1,Album,Artist 1,2020-01-01,200000,50,false,,2024-01-01T00:00:00Z,\"rock,indie\"",
            "spotify:track:zzzzzzzzzzzzzzzzzzzzzz,Title 7,Album,Artist 7,2020,180000,40,false,,2024-01-01T00:00:00Z,",
            "spotify:track:yyyyyyyyyyyyyyyyyyyyyy,Unknown Song,Album,Nobody,2020,180000,40,true,,2024-01-01T00:00:00Z,pop");

        var (exit, stdout, stderr) = await RunAsync("cluster", "--library", library, "--json");

        Assert.True(exit == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["model_version", "use_recs_model", "clusters", "unclustered", "coverage", "check_set"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(versionId, root.GetProperty("model_version").GetString());
        Assert.True(root.GetProperty("use_recs_model").GetBoolean());
        var clusters = root.GetProperty("clusters").EnumerateArray().ToList();
        Assert.Equal(2, clusters.Sum(c => c.GetProperty("size").GetInt32()));
        var cluster = clusters[0];
        foreach (var key in new[] { "id", "name", "size", "centroid", "tracks" })
        {
            Assert.True(cluster.TryGetProperty(key, out _), key);
        }

        Assert.Equal(AudioFeatures.Names, cluster.GetProperty("centroid").EnumerateObject().Select(p => p.Name));
        var track = clusters.SelectMany(c => c.GetProperty("tracks").EnumerateArray()).First(t => t.GetProperty("id").GetString() == SyntheticFeatures.Id(1));
        Assert.Equal("catalog", track.GetProperty("source").GetString());
        Assert.Equal(["Artist 1"], track.GetProperty("artists").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(AudioFeatures.Names, track.GetProperty("features").EnumerateObject().Select(p => p.Name));
        var coverage = root.GetProperty("coverage");
        Assert.Equal(3, coverage.GetProperty("total").GetInt32());
        Assert.Equal(2, coverage.GetProperty("clustered").GetInt32());
        Assert.Equal(66.7, coverage.GetProperty("pct").GetDouble());
        Assert.Equal(2, coverage.GetProperty("from_catalog").GetInt32());
        Assert.Equal(0, coverage.GetProperty("predicted").GetInt32());
        Assert.Equal(1, coverage.GetProperty("matched_by_id").GetInt32());
        Assert.Equal(1, coverage.GetProperty("matched_by_artist_title").GetInt32());
        Assert.Equal(["artist_known", "genres_only", "nothing"], coverage.GetProperty("tiers").EnumerateObject().Select(p => p.Name));
        var unclustered = root.GetProperty("unclustered").EnumerateArray().Single();
        Assert.Equal("Unknown Song", unclustered.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, unclustered.GetProperty("source").ValueKind);
    }

    [Fact]
    public async Task ClusterWithoutTheModelSwitchPrintsAHumanSummary()
    {
        await ActivateSyntheticModelAsync();
        var library = Library("spotify:track:" + SyntheticFeatures.Id(2) + ",Title 2,Album,Artist 2,2020,200000,50,false,,2024-01-01T00:00:00Z,");

        var (exit, stdout, _) = await RunAsync("cluster", "--library", library, "--use-recs-model", "false");

        Assert.Equal(0, exit);
        Assert.Contains("1 of 1 tracks (100.0%)", stdout);
        Assert.Contains("use-recs-model off", stdout);
    }

    [Fact]
    public async Task ClusterWithoutAnActiveModelSaysToTrainFirst()
    {
        var library = Library("spotify:track:" + SyntheticFeatures.Id(1) + ",Title 1,Album,Artist 1,2020,200000,50,false,,2024-01-01T00:00:00Z,");

        var (exit, stdout, stderr) = await RunAsync("cluster", "--library", library, "--json");

        Assert.Equal(ClusterVerb.NoActiveModelExitCode, exit);
        Assert.Contains("no active model: run `train` first", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task ClusterRejectsAFileThatIsNotALibraryExportAndAMissingFile()
    {
        await ActivateSyntheticModelAsync();
        var bad = _dir.File("bad.csv");
        File.WriteAllText(bad, "foo,bar\n1,2\n");

        var (exitBad, _, errBad) = await RunAsync("cluster", "--library", bad);
        var (exitMissing, _, errMissing) = await RunAsync("cluster", "--library", _dir.File("missing.csv"));

        Assert.Equal(2, exitBad);
        Assert.Contains("bad.csv", errBad);
        Assert.Equal(2, exitMissing);
        Assert.Contains("file not found", errMissing);
    }

    [Fact]
    public void EnumsInTheResultSerialiseAsTheContractSpellsThem()
    {
        var json = JsonSerializer.Serialize(new { source = FeatureSource.Predicted, tier = ConfidenceTier.ArtistKnown, centroid = new AudioFeatures(1, 2, 3, 4, 5) }, CliOutput.JsonOptions);

        Assert.Contains("\"predicted\"", json);
        Assert.Contains("\"artist_known\"", json);
        Assert.DoesNotContain("has_tempo", json);
    }

    [Fact]
    public async Task AFileWithFeaturesClustersFromTheFileMergesRepeatedRowsAndTheToggleListsTheRestByName()
    {
        await ActivateSyntheticModelAsync();
        const string withFeatures = Header + ",Danceability,Energy,Valence,Tempo,Loudness";
        var path = _dir.File("features.csv");
        File.WriteAllLines(path,
        [
            withFeatures,
            "spotify:track:aaaaaaaaaaaaaaaaaaaaaa,Loud One,Album,Band A,2020,200000,50,false,,2024-01-01T00:00:00Z,,0.7,0.9,0.6,170,-4",
            "spotify:track:bbbbbbbbbbbbbbbbbbbbbb,Quiet One,Album,Band B,2020,200000,50,false,,2024-01-01T00:00:00Z,,0.3,0.1,0.2,75,-22",
            "spotify:track:aaaaaaaaaaaaaaaaaaaaaa,Loud One,Album,Band A,2020,200000,50,false,,2024-02-01T00:00:00Z,,0.7,0.9,0.6,170,-4",
            "spotify:track:" + SyntheticFeatures.Id(3) + ",Title 3,Album,Artist 3,2020,200000,50,false,,2024-01-01T00:00:00Z,,,,,,",
            "spotify:track:cccccccccccccccccccccc,No Features Here,Album,Nobody,2020,200000,50,false,,2024-01-01T00:00:00Z,,,,,,",
        ]);

        var (exit, stdout, stderr) = await RunAsync("cluster", "--library", path, "--use-recs-model", "false", "--json");

        Assert.True(exit == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        var coverage = root.GetProperty("coverage");
        Assert.Equal((4, 3, 2, 1, 0, 0), (coverage.GetProperty("total").GetInt32(), coverage.GetProperty("clustered").GetInt32(),
            coverage.GetProperty("from_file").GetInt32(), coverage.GetProperty("from_catalog").GetInt32(),
            coverage.GetProperty("from_service").GetInt32(), coverage.GetProperty("predicted").GetInt32()));
        Assert.Equal(75.0, coverage.GetProperty("pct").GetDouble());
        var tracks = root.GetProperty("clusters").EnumerateArray().SelectMany(c => c.GetProperty("tracks").EnumerateArray())
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t);
        Assert.Equal("file", tracks["Loud One"].GetProperty("source").GetString());
        Assert.Equal(170, tracks["Loud One"].GetProperty("features").GetProperty("tempo").GetDouble());
        Assert.Equal("catalog", tracks["Title 3"].GetProperty("source").GetString());
        Assert.Equal(["No Features Here"], root.GetProperty("unclustered").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Contains("1 repeated rows of the same track merged", stderr);

        var (_, human, _) = await RunAsync("cluster", "--library", path, "--use-recs-model", "false");
        Assert.Contains("2 from the file", human);
        Assert.Contains("No Features Here — Nobody", human);
    }
}
