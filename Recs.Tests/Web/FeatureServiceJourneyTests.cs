using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Catalog;
using Recs.Core.Jobs;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeFeatureService;
using Recs.Tests.TestSupport.Listener;
using Recs.Web.Api;
using Recs.Web.Libraries;

namespace Recs.Tests.Web;

/// <summary>
/// Issue 12 end to end in the real app host, with the features service a fake on loopback speaking ReccoBeats'
/// protocol: a listener uploads an export without feature columns, the service is asked about the file's Spotify ids
/// and nothing else, the tracks it knew are clustered "from the service" and the rest predicted; then an admin starts
/// "fetch features for the catalog" through the admin API and the catalog grows by what the service has learnt since.
/// </summary>
public sealed class FeatureServiceJourneyTests
{
    private const string Listener = "listener-7f3a";
    private const string Admin = "admin-1";
    private const string AddedBy = "spotify:user:secret-listener-handle";
    private const string FileName = "My Liked Songs.csv";
    private const int Seed = 77;

    [Fact]
    public async Task AnUploadWithoutFeaturesAsksTheServiceForItsIdsOnlyAndTheCatalogJobFillsInWhatItLearnsLater()
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        // The service knows 8 of the file's 12 tracks at upload time.
        var ids = Enumerable.Range(0, 12).Select(i => FakeTrackFeatures.Id(Seed, i)).ToList();
        var knownAtUpload = Enumerable.Range(0, 8).Select(i => FakeTrackFeatures.Generated(Seed, i)).ToArray();
        fake.Add(knownAtUpload);
        await using var factory = new RecsWebFactory()
            .With("FeatureService:Provider", "reccobeats")
            .With("FeatureService:BaseUrl", fake.ReccoBeatsBaseUrl)
            .With("FeatureService:RetryBaseDelay", "00:00:00.010")
            // Misses are asked again after a second here (30 days by default), so the admin job can retry them.
            .With("FeatureService:MissRetryAfter", "00:00:01")
            .With("Recs:Admins:0", Admin)
            // Spotify "configured" (unreachable) so the list of admins decides who is one; nothing here calls it.
            .With("Spotify:ClientId", "test-client")
            .With("Spotify:ClientSecret", "test-secret")
            .With("Spotify:AccountsBaseUrl", "http://127.0.0.1:9")
            .With("Spotify:ApiBaseUrl", "http://127.0.0.1:9/v1")
            .WithServices(TestSignIn.Register);
        await ListenerModelSeed.TrainAsync(factory.DataDirectory);
        using var listener = await TestSignIn.ClientAsync(factory, Listener);

        // The upload, through the service the library sources page hands the file to.
        var upload = await factory.Services.GetRequiredService<LibrarySources>()
            .UploadAsync(Listener, new MemoryStream(Encoding.UTF8.GetBytes(ExportWithoutFeatures(ids))), FileName, CancellationToken.None);
        Assert.Equal(12, upload.Library.TrackCount);
        Assert.Equal(8, upload.FeatureLookup!.FromService);

        // What left the machine: the file's Spotify ids, each once, in the query; nothing about the listener.
        var atUpload = fake.Requests.ToList();
        Assert.NotEmpty(atUpload);
        Assert.Equal(ids.Order(), atUpload.SelectMany(r => r.Ids).Order());
        Assert.All(atUpload, AssertCarriesTrackIdsOnly);

        // Coverage: the 8 tracks the service knew are "from the service", the other 4 predicted.
        var clusters = await PostClustersAsync(listener, useRecsModel: true);
        var coverage = clusters.GetProperty("coverage");
        Assert.Equal((12, 12, 0, 0, 8, 4), (coverage.GetProperty("total").GetInt32(), coverage.GetProperty("clustered").GetInt32(),
            coverage.GetProperty("from_file").GetInt32(), coverage.GetProperty("from_catalog").GetInt32(),
            coverage.GetProperty("from_service").GetInt32(), coverage.GetProperty("predicted").GetInt32()));
        var sources = SourcesById(clusters);
        Assert.All(ids.Take(8), id => Assert.Equal("service", sources[id]));
        Assert.All(ids.Skip(8), id => Assert.Equal("predicted", sources[id]));

        // Later the service learns three of the four, and an admin starts the catalog job through the admin API.
        fake.Add(Enumerable.Range(8, 3).Select(i => FakeTrackFeatures.Generated(Seed, i)).ToArray());
        fake.ClearLog();
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // past MissRetryAfter
        using var admin = await TestSignIn.ClientAsync(factory, Admin);
        using var start = await admin.PostAsync("/admin/api/jobs/fetch-features", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.True(start.IsSuccessStatusCode, $"{(int)start.StatusCode}: {await start.Content.ReadAsStringAsync()}");
        var jobId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var done = await factory.Services.WaitForJobAsync(jobId, j => j.IsFinished, TimeSpan.FromSeconds(60));
        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error} {done.Message}");

        // The job asked only about the four tracks still without features, each once, and stored the three it learnt.
        var byJob = fake.Requests.ToList();
        Assert.Equal(ids.Skip(8).Order(), byJob.SelectMany(r => r.Ids).Order());
        Assert.All(byJob, AssertCarriesTrackIdsOnly);
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync())
        {
            var service = await db.CatalogTracks.Where(t => t.Source == CatalogSources.Service).Select(t => t.Id).ToListAsync();
            Assert.Equal(ids.Take(11).Order(), service.Order());
        }

        // With the Recs model off only real features cluster: the 11 the service knew; the last one is listed by name.
        var realOnly = await PostClustersAsync(listener, useRecsModel: false);
        Assert.Equal(11, realOnly.GetProperty("coverage").GetProperty("from_service").GetInt32());
        Assert.Equal(0, realOnly.GetProperty("coverage").GetProperty("predicted").GetInt32());
        var unclustered = Assert.Single(realOnly.GetProperty("unclustered").EnumerateArray());
        Assert.Equal("Song 11", unclustered.GetProperty("name").GetString());
    }

    /// <summary>
    /// A request carries the audio-features path and an <c>ids</c> parameter of Spotify ids — no cookie, no
    /// authorization, and none of the listener's account, name, Spotify user, file name or track names anywhere.
    /// </summary>
    private static void AssertCarriesTrackIdsOnly(FakeFeatureRequest request)
    {
        var uri = new Uri("http://fake" + request.Target);
        Assert.Equal("/reccobeats/v1/audio-features", uri.AbsolutePath);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
        Assert.Equal(["ids"], query.Keys);
        Assert.All(request.Ids, id => Assert.Matches("^[0-9A-Za-z]{22}$", id));
        Assert.DoesNotContain(request.Headers, h => h.Key is "Cookie" or "Authorization");
        string[] identifying = [Listener, "Test " + Listener, AddedBy, "secret-listener-handle", FileName, "Song ", "Band "];
        foreach (var text in identifying)
        {
            Assert.DoesNotContain(text, Uri.UnescapeDataString(request.Target), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(request.Headers, h => h.Value.Contains(text, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static async Task<JsonElement> PostClustersAsync(HttpClient client, bool useRecsModel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/clusters")
        {
            Content = JsonContent.Create(new { use_recs_model = useRecsModel }),
        };
        request.Headers.Add(ClustersApi.CsrfHeader, "1");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Dictionary<string, string> SourcesById(JsonElement clusters) =>
        clusters.GetProperty("clusters").EnumerateArray().SelectMany(c => c.GetProperty("tracks").EnumerateArray())
            .ToDictionary(t => t.GetProperty("id").GetString()!, t => t.GetProperty("source").GetString()!);

    /// <summary>An Exportify export of the listener's liked songs without the audio-feature columns (as older exports and
    /// other tools write them), with the listener's Spotify user in "Added By" as Exportify writes it.</summary>
    private static string ExportWithoutFeatures(IReadOnlyList<string> ids)
    {
        var csv = new StringBuilder("Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Added By,Added At,Genres,Record Label\n");
        for (var i = 0; i < ids.Count; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"spotify:track:{ids[i]},Song {i},Album {i % 3},Band {i % 4},2019-0{1 + (i % 9)}-15,{180_000 + (i * 7_000)},{40 + i},false,{AddedBy},2024-05-0{1 + (i % 9)}T10:00:00Z,\"indie rock,indie\",Label\n");
        }

        return csv.ToString();
    }
}
