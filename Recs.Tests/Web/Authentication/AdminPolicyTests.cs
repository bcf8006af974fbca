using System.Net;
using System.Text.Json;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeSpotify;

namespace Recs.Tests.Web.Authentication;

/// <summary>The Admin policy through a real admin page (<c>/admin/accounts</c>) and a real admin endpoint (<c>/admin/api/accounts</c>).</summary>
public sealed class AdminPolicyTests
{
    [Fact]
    public async Task AnAccountListedInRecsAdminsOpensAdminPagesAndEndpoints()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser("boss", "The Boss", accountId: "acc-boss");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify).With("Recs:Admins:0", "acc-boss");
        using var client = AppClient.Create(factory);
        await client.SignInWithSpotifyAsync(spotify, "boss");

        var page = await client.Http.GetAsync("/admin/accounts");
        var api = await client.Http.GetAsync("/admin/api/accounts");
        var me = JsonDocument.Parse(await client.Http.GetStringAsync("/authentication/me")).RootElement;

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("acc-boss", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal("acc-boss", JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement[0].GetProperty("accountId").GetString());
        Assert.True(me.GetProperty("is_admin").GetBoolean());
    }

    [Fact]
    public async Task ASignedInNonAdminGetsANotAllowedPageAnd403s()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser("listener", "Test Listener", accountId: "acc-1");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify).With("Recs:Admins:0", "acc-boss");
        using var client = AppClient.Create(factory);
        await client.SignInWithSpotifyAsync(spotify, "listener");

        var page = await client.Http.GetAsync("/admin/accounts");
        var notAllowed = await client.Http.GetAsync(page.Headers.Location!.PathAndQuery);
        var api = await client.Http.GetAsync("/admin/api/accounts");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/not-allowed", page.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Forbidden, notAllowed.StatusCode);
        var html = await notAllowed.Content.ReadAsStringAsync();
        Assert.Contains("Not allowed", html);
        Assert.Contains("acc-1", html);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
        Assert.Equal(403, JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("/library", "/signin?returnUrl=%2Flibrary")]
    [InlineData("/library/sources", "/signin?returnUrl=%2Flibrary%2Fsources")]
    public async Task ListenerPagesRequireSignInAndSendAnAnonymousVisitorToSignInAndBack(string page, string signIn)
    {
        await using var factory = new RecsWebFactory();
        using var client = AppClient.Create(factory);

        var response = await client.Http.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(signIn, response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task AnAnonymousVisitorIsSentToSignInFromPagesAndGets401FromEndpoints()
    {
        await using var factory = new RecsWebFactory();
        using var client = AppClient.Create(factory);

        var page = await client.Http.GetAsync("/admin/accounts");
        var api = await client.Http.GetAsync("/admin/api/accounts");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/signin?returnUrl=%2Fadmin%2Faccounts", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task TheDemoListenerIsAnAdminInDemoMode()
    {
        await using var factory = new RecsWebFactory();
        using var client = AppClient.Create(factory);
        await client.SignInAsDemoAsync();

        var page = await client.Http.GetAsync("/admin/accounts");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Demo listener", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnAdminListNamingDemoDoesNotMakeASpotifyUserTheDemoListener()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser("demo", "Impostor", accountId: "");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify).With("Recs:DemoSignIn", "true");
        using var client = AppClient.Create(factory);

        var done = await client.SignInWithSpotifyAsync(spotify, "demo");

        Assert.Contains("reason=failed", done.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Http.GetAsync("/authentication/me")).StatusCode);
    }
}
