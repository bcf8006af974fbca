using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Jobs;
using Recs.Tests.TestSupport;
using Recs.Web.Jobs;

namespace Recs.Tests.Web.Admin;

/// <summary>Every admin page and endpoint, for an anonymous user, a signed-in non-admin and an admin.</summary>
public sealed class AdminAuthorizationTests(AdminAuthorizationTests.App app) : IClassFixture<AdminAuthorizationTests.App>
{
    private const string AdminAccount = "admin-1";
    private const string ListenerAccount = "listener-1";

    private readonly RecsWebFactory _factory = app.Factory;
    private readonly Guid _jobId = app.JobId;

    /// <summary>One app for all the cases (they only read, or are refused).</summary>
    public sealed class App : IAsyncLifetime
    {
        // Spotify "configured" so the demo listener is not an admin here and the list of admins decides.
        public RecsWebFactory Factory { get; } = new RecsWebFactory()
            .With("Recs:Admins:0", AdminAccount)
            .With("Spotify:ClientId", "test-client")
            .With("Spotify:ClientSecret", "test-secret")
            // Jobs the admin cases start must never reach the real Spotify: nothing listens on port 9.
            .With("Spotify:AccountsBaseUrl", "http://127.0.0.1:9")
            .With("Spotify:ApiBaseUrl", "http://127.0.0.1:9/v1")
            .WithServices(TestSignIn.Register);

        public Guid JobId { get; private set; }

        public async Task InitializeAsync()
        {
            // A finished job to address by id (its file does not exist, so it fails at once; commands on it are refused).
            var jobs = Factory.Services.GetRequiredService<JobService>();
            var started = await jobs.StartAsync(new ImportArtistGenresParameters("/nonexistent.csv", "x.csv"), "setup");
            JobId = started.JobId!.Value;
            await Factory.Services.WaitForJobAsync(JobId, j => j.IsFinished);
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    public static TheoryData<string> Pages => new() { "/admin", "/admin/jobs", "/admin/jobs/{job}", "/admin/models", "/admin/catalog" };

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/admin/api/jobs" },
        { "GET", "/admin/api/jobs/{job}" },
        { "POST", "/admin/api/jobs/import-catalog?file_name=a.csv" },
        { "POST", "/admin/api/jobs/import-artist-genres?file_name=a.csv" },
        { "POST", "/admin/api/jobs/enrichment" },
        { "POST", "/admin/api/jobs/training" },
        { "POST", "/admin/api/jobs/{job}/cancel" },
        { "POST", "/admin/api/jobs/{job}/pause" },
        { "POST", "/admin/api/jobs/{job}/resume" },
        { "GET", "/admin/api/models" },
        { "POST", "/admin/api/models/20260101-000000-k9/activate" },
        { "POST", "/admin/api/models/rollback" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task AnAnonymousVisitorToAnAdminPageIsSentToSignIn(string page)
    {
        using var client = await TestSignIn.ClientAsync(_factory, null);
        var response = await client.GetAsync(Url(page));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin", new Uri(client.BaseAddress!, response.Headers.Location!).AbsolutePath);
        Assert.Contains("returnUrl=" + Uri.EscapeDataString(Url(page)), response.Headers.Location!.OriginalString);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task ASignedInListenerWhoIsNotAnAdminIsRefusedAnAdminPage(string page)
    {
        using var client = await TestSignIn.ClientAsync(_factory, ListenerAccount);
        var response = await client.GetAsync(Url(page));

        // The cookie scheme answers a forbidden page request by redirecting to its "access denied" page, /not-allowed.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/not-allowed", new Uri(client.BaseAddress!, response.Headers.Location!).AbsolutePath);
        Assert.DoesNotContain("data-testid=\"jobs-", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task AnAdminGetsTheAdminPage(string page)
    {
        using var client = await TestSignIn.ClientAsync(_factory, AdminAccount);
        var response = await client.GetAsync(Url(page));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AnAnonymousCallerOfAnAdminEndpointGets401(string method, string path)
    {
        using var client = await TestSignIn.ClientAsync(_factory, null);
        var response = await client.SendAsync(Request(method, path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ASignedInNonAdminCallerOfAnAdminEndpointGets403(string method, string path)
    {
        using var client = await TestSignIn.ClientAsync(_factory, ListenerAccount);
        var response = await client.SendAsync(Request(method, path));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AnAdminIsServedByEveryAdminEndpoint(string method, string path)
    {
        using var client = await TestSignIn.ClientAsync(_factory, AdminAccount);
        var response = await client.SendAsync(Request(method, path));

        // Served: the handler ran and answered (a refused command on a finished job is a 409, not an authorization failure).
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.Conflict
                || (response.StatusCode == HttpStatusCode.NotFound && path.Contains("/activate")),
            $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task AFormPostToAnAdminEndpointIsRefusedSoThatAnotherSiteCannotStartJobs()
    {
        using var client = await TestSignIn.ClientAsync(_factory, AdminAccount);
        var response = await client.PostAsync("/admin/api/jobs/training", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private string Url(string template) => template.Replace("{job}", _jobId.ToString());

    private HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), Url(path));
        if (method == "POST")
        {
            request.Content = path.Contains("import-")
                ? new StringContent("artists,genres\nx,\"['rock']\"\n", Encoding.UTF8, "text/csv")
                : new StringContent("", Encoding.UTF8, "application/json");
        }

        return request;
    }
}
