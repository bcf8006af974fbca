using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Recs.Core;
using Recs.Tests.TestSupport.Listener;
using Recs.Web.Api;
using Recs.Web.Libraries;

namespace Recs.Tests.Web.Api;

public sealed class ClustersApiTests : IDisposable
{
    private readonly ListenerWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task WithoutABodyTheLibraryIsClusteredWithTheRecsModelInTheDesignShape()
    {
        _factory.Clusterer.ActiveModelVersion = "m-42";
        var client = _factory.ClientFor("alice");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 10, predicted: 2));

        var response = await client.PostAsync("/api/clusters", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ReadJsonAsync(response);
        Assert.Equal("m-42", json.GetProperty("model_version").GetString());
        Assert.True(json.GetProperty("use_recs_model").GetBoolean());
        var coverage = json.GetProperty("coverage");
        Assert.Equal(12, coverage.GetProperty("total").GetInt32());
        Assert.Equal(12, coverage.GetProperty("clustered").GetInt32());
        Assert.Equal(100.0, coverage.GetProperty("pct").GetDouble());
        Assert.Equal(10, coverage.GetProperty("from_catalog").GetInt32());
        Assert.Equal(2, coverage.GetProperty("predicted").GetInt32());
        Assert.Empty(json.GetProperty("unclustered").EnumerateArray());
        var cluster = json.GetProperty("clusters")[0];
        Assert.Equal(0, cluster.GetProperty("id").GetInt32());
        Assert.Equal("fast · energetic", cluster.GetProperty("name").GetString());
        Assert.Equal(cluster.GetProperty("tracks").GetArrayLength(), cluster.GetProperty("size").GetInt32());
        Assert.Equal(["tempo", "energy", "danceability", "valence", "loudness"],
            cluster.GetProperty("centroid").EnumerateObject().Select(p => p.Name));
        var sources = json.GetProperty("clusters").EnumerateArray().SelectMany(c => c.GetProperty("tracks").EnumerateArray())
            .Select(t => t.GetProperty("source").GetString()).Distinct().Order();
        Assert.Equal(["catalog", "predicted"], sources);
        var track = json.GetProperty("clusters")[0].GetProperty("tracks")[0];
        Assert.Equal(["id", "name", "artists", "features", "source", "confidence"], track.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Array, track.GetProperty("artists").ValueKind);
        Assert.Equal(["tempo", "energy", "danceability", "valence", "loudness"], track.GetProperty("features").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task UseRecsModelFalseLeavesTracksNotInTheCatalogUnclustered()
    {
        var client = _factory.ClientFor("alice");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 3, predicted: 1));

        var response = await client.PostAsync("/api/clusters", Json("""{ "use_recs_model": false }"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ReadJsonAsync(response);
        Assert.False(json.GetProperty("use_recs_model").GetBoolean());
        Assert.Equal(75.0, json.GetProperty("coverage").GetProperty("pct").GetDouble());
        var unclustered = Assert.Single(json.GetProperty("unclustered").EnumerateArray());
        Assert.Equal("New song 0", unclustered.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, unclustered.GetProperty("source").ValueKind);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "use_recs_model": null }""")]
    [InlineData("""{ "use_recs_model": true, "other": 1 }""")]
    [InlineData("   ")]
    public async Task AMissingFieldMeansTrue(string body)
    {
        var client = _factory.ClientFor("alice");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 1, predicted: 1));

        var response = await client.PostAsync("/api/clusters", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await ReadJsonAsync(response)).GetProperty("use_recs_model").GetBoolean());
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{ "use_recs_model": "yes" }""", "must be true or false")]
    [InlineData("[true]", "JSON object")]
    public async Task ABadBodyIsAProblemDetails400(string body, string expected)
    {
        var client = _factory.ClientFor("alice");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 1));

        var response = await client.PostAsync("/api/clusters", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadJsonAsync(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsRejectedAsUnsupportedMediaType()
    {
        var client = _factory.ClientFor("alice");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 1));

        var response = await client.PostAsync("/api/clusters", new StringContent("use_recs_model=false", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnAnonymousCallerGets401NotARedirect()
    {
        var response = await _factory.ClientFor(null).PostAsync("/api/clusters", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ACookieAuthenticatedCallWithoutTheAntiForgeryHeaderIsRefused()
    {
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 1));

        var response = await _factory.ClientFor("alice", withCsrfHeader: false).PostAsync("/api/clusters", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("X-Recs-Api", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AUserWithoutALibraryGetsANoLibraryProblem()
    {
        var response = await _factory.ClientFor("nobody").PostAsync("/api/clusters", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No library yet", (await ReadJsonAsync(response)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task WithoutAnActiveModelTheCallerGetsANoModelProblem()
    {
        _factory.Clusterer.ActiveModelVersion = null;
        var client = _factory.ClientFor("alice");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 1));

        var response = await client.PostAsync("/api/clusters", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("No active model", (await ReadJsonAsync(response)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task EachUserIsRateLimitedSeparately()
    {
        _factory.With("Listener:ApiPermitLimit", "2").With("Listener:ApiWindowSeconds", "3600");
        var alice = _factory.ClientFor("alice");
        var bob = _factory.ClientFor("bob");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 1));
        await _factory.SaveLibraryAsync("bob", LibraryBuilder.Tracks(catalog: 1));

        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsync("/api/clusters", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsync("/api/clusters", null)).StatusCode);
        var third = await alice.PostAsync("/api/clusters", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await bob.PostAsync("/api/clusters", null)).StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheClustersEndpoint()
    {
        var response = await _factory.ClientFor(null).GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ReadJsonAsync(response);
        var post = json.GetProperty("paths").GetProperty("/api/clusters").GetProperty("post");
        Assert.True(post.GetProperty("responses").TryGetProperty("200", out _));
        Assert.True(post.GetProperty("responses").TryGetProperty("401", out _));
        var schemas = json.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("ClustersResponse").GetProperty("properties").TryGetProperty("model_version", out _));
        Assert.True(schemas.GetProperty("ClustersRequest").GetProperty("properties").TryGetProperty("use_recs_model", out _));
    }

    [Fact]
    public async Task TheCsvExportHoldsTheFilteredViewOfACluster()
    {
        var client = _factory.ClientFor("alice");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 20));

        var all = await client.GetStringAsync("/api/clusters/0/csv");
        var filtered = await client.GetAsync("/api/clusters/0/csv?bpm_min=150&bpm_max=170&sort=-tempo");

        var allLines = all.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("track_id,name,artists,tempo,energy,danceability,valence,loudness,source,confidence,cluster", allLines[0]);
        var filteredLines = (await filtered.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("text/csv", filtered.Content.Headers.ContentType?.MediaType);
        Assert.Contains("filtered", filtered.Content.Headers.ContentDisposition?.FileName);
        Assert.InRange(filteredLines.Length, 2, allLines.Length - 1);
        var tempos = filteredLines.Skip(1).Select(l => double.Parse(l.Split(',')[^8], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(tempos, t => Assert.InRange(t, 150, 170));
        Assert.Equal(tempos.OrderDescending(), tempos);
    }

    [Fact]
    public async Task TheCsvExportOfAnUnknownClusterIs404()
    {
        var client = _factory.ClientFor("alice");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 2));

        var response = await client.GetAsync("/api/clusters/99/csv");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheCsvLinkThePageBuildsIsBoundBackToTheSameQuery()
    {
        var client = _factory.ClientFor("alice");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 20));
        var query = new TrackQuery
        {
            BpmMin = 120, EnergyMin = 0.3, EnergyMax = 0.7, DanceabilityMin = 0.5, ValenceMax = 0.9, Search = "song",
            Sort = [new TrackSort("energy", Descending: true), new TrackSort("tempo")],
        };

        var all = ParseCsv(await client.GetStringAsync(ClustersApi.CsvUrl(0, useRecsModel: true, new TrackQuery())));
        var filtered = ParseCsv(await client.GetStringAsync(ClustersApi.CsvUrl(0, useRecsModel: true, query)));

        var expected = all.Where(r => r.Tempo >= 120 && r.Energy is >= 0.3 and <= 0.7)
            .OrderByDescending(r => r.Energy).ThenBy(r => r.Tempo).Select(r => r.Name).ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < all.Count);
        Assert.Equal(expected, filtered.Select(r => r.Name));
    }

    [Theory]
    [InlineData("energy_min=2", "energy_min")]
    [InlineData("bpm_max=-1", "bpm_max")]
    [InlineData("valence_max=1.5", "valence_max")]
    public async Task AnOutOfRangeFilterIsAValidationProblem(string parameters, string field)
    {
        var client = _factory.ClientFor("alice");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 2));

        var response = await client.GetAsync("/api/clusters/0/csv?" + parameters);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await ReadJsonAsync(response)).GetProperty("errors");
        Assert.Contains(errors.EnumerateObject(), e => e.Value.EnumerateArray().Any(m => m.GetString()!.Contains(field)));
    }

    [Fact]
    public async Task TheCsvExportKeepsOnlyTheChosenSourceAndTheLinkCarriesItsWireName()
    {
        var client = _factory.ClientFor("alice");
        _factory.Clusterer.RealSources[$"cat{8:D19}"] = FeatureSource.File;
        _factory.Clusterer.RealSources[$"cat{9:D19}"] = FeatureSource.Service;
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 20, predicted: 4));

        var url = ClustersApi.CsvUrl(0, useRecsModel: true, new TrackQuery().WithSource(FeatureSource.Service));
        var service = await client.GetStringAsync(url);
        var file = await client.GetStringAsync("/api/clusters/0/csv?source=FILE");
        var all = await client.GetStringAsync("/api/clusters/0/csv");

        Assert.Contains("source=service", url);
        Assert.Equal(["service"], SourcesOf(service));
        Assert.Equal(["Catalog song 9"], NamesOf(service));
        Assert.Equal(["Catalog song 8"], NamesOf(file));
        Assert.Equal(["catalog", "file", "predicted", "service"], SourcesOf(all).Distinct().Order());
    }

    [Fact]
    public async Task AnUnknownSourceIsAValidationProblemNamingTheField()
    {
        var client = _factory.ClientFor("alice");
        await _factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 2));

        var response = await client.GetAsync("/api/clusters/0/csv?source=spotify");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ReadJsonAsync(response)).GetProperty("errors");
        var message = Assert.Single(errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray())).GetString()!;
        Assert.Contains("source", message);
        Assert.Contains("file, catalog, service, predicted", message);
    }

    // source is the 9th of 11 CSV columns and confidence/cluster never hold commas in these libraries.
    private static List<string> SourcesOf(string csv)
        => csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[^3]).ToList();

    private static List<string> NamesOf(string csv)
        => csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[1]).ToList();

    private static List<(string Name, double Tempo, double Energy)> ParseCsv(string csv)
        => csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(','))
            .Select(f => (f[1], double.Parse(f[^8], System.Globalization.CultureInfo.InvariantCulture), double.Parse(f[^7], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
}
