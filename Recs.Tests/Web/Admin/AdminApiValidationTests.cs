using System.Net;
using System.Text;
using System.Text.Json;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Web.Admin;

/// <summary>
/// The admin API's command bodies are bound and validated by the framework: a bad body gets a 400 with problem details
/// that name the field (snake_case, as the caller wrote it), and nothing starts.
/// </summary>
public sealed class AdminApiValidationTests(AdminApiValidationTests.App app) : IClassFixture<AdminApiValidationTests.App>
{
    private const string AdminAccount = "admin-1";

    public sealed class App : IAsyncLifetime
    {
        // Spotify points at a port nothing listens on: a job that does start can never reach the real Spotify.
        public RecsWebFactory Factory { get; } = new RecsWebFactory()
            .With("Recs:Admins:0", AdminAccount)
            .With("Spotify:ClientId", "test-client")
            .With("Spotify:ClientSecret", "test-secret")
            .With("Spotify:AccountsBaseUrl", "http://127.0.0.1:9")
            .With("Spotify:ApiBaseUrl", "http://127.0.0.1:9/v1")
            .WithServices(TestSignIn.Register);

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    [Theory]
    [InlineData("/admin/api/jobs/enrichment", """{"batch_size": 0}""", "batch_size")]
    [InlineData("/admin/api/jobs/enrichment", """{"batch_size": 50, "delay": 61}""", "delay")]
    [InlineData("/admin/api/jobs/enrichment", """{"limit": -3}""", "limit")]
    [InlineData("/admin/api/jobs/training", """{"k": 1}""", "k")]
    [InlineData("/admin/api/jobs/training", """{"trainer": "xgboost"}""", "trainer")]
    [InlineData("/admin/api/jobs/fetch-features", """{"limit": 0}""", "limit")]
    public async Task AnOutOfRangeParameterIsAValidationProblemNamingTheField(string path, string body, string field)
    {
        using var client = await TestSignIn.ClientAsync(app.Factory, AdminAccount);

        var before = await JobCountAsync(client);
        var response = await client.PostAsync(path, Json(body));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(m => m.GetString()!)).ToList();
        Assert.Contains(errors, m => m.Contains(field, StringComparison.Ordinal));
        Assert.Equal(before, await JobCountAsync(client));
    }

    [Theory]
    [InlineData("/admin/api/jobs/enrichment", """{"batch_size": "many"}""", "'batch_size' must be a number")]
    [InlineData("/admin/api/jobs/training", """{"random_split": "yes"}""", "'random_split' must be true or false")]
    [InlineData("/admin/api/jobs/training", """{"k": 9""", "not valid JSON")]
    [InlineData("/admin/api/jobs/enrichment", """[50]""", "must be a JSON object")]
    public async Task ABodyThatCannotBeBoundIsAProblemSayingWhatIsWrong(string path, string body, string expected)
    {
        using var client = await TestSignIn.ClientAsync(app.Factory, AdminAccount);

        var before = await JobCountAsync(client);
        var response = await client.PostAsync(path, Json(body));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
        Assert.Equal(before, await JobCountAsync(client));
    }

    [Fact]
    public async Task AValidBodyIsBoundWithItsSnakeCaseNamesAndAnEmptyOneMeansTheDefaults()
    {
        using var client = await TestSignIn.ClientAsync(app.Factory, AdminAccount);

        var response = await client.PostAsync("/admin/api/jobs/enrichment", Json("""{"batch_size": 20, "delay": 0, "limit": 5}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var parameters = JsonDocument.Parse((await JsonAsync(response)).GetProperty("parameters_json").GetString()!).RootElement;
        Assert.Equal((20, 0.0, 5), (parameters.GetProperty("batch_size").GetInt32(), parameters.GetProperty("delay").GetDouble(), parameters.GetProperty("limit").GetInt32()));

        var fetch = await client.PostAsync("/admin/api/jobs/fetch-features", Json("  "));
        Assert.Equal(HttpStatusCode.Accepted, fetch.StatusCode);
        Assert.Equal("{}", (await JsonAsync(fetch)).GetProperty("parameters_json").GetString());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<int> JobCountAsync(HttpClient client) =>
        (await JsonAsync(await client.GetAsync("/admin/api/jobs"))).GetArrayLength();
}
