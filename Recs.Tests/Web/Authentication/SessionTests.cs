using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeSpotify;
using Recs.Web.Authentication;

namespace Recs.Tests.Web.Authentication;

public sealed class SessionTests
{
    [Fact]
    public async Task SigningOutEndsTheSessionAndDeletesTheStoredTokens()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser("listener", "Test Listener", accountId: "acc-1");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        using var client = AppClient.Create(factory);
        await client.SignInWithSpotifyAsync(spotify, "listener");

        var response = await client.SignOutAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Http.GetAsync("/authentication/me")).StatusCode);
        Assert.Null(await factory.Services.GetRequiredService<UserTokenStore>().GetAsync("acc-1"));
    }

    [Fact]
    public async Task SignOutWithoutTheAntiforgeryTokenIsRefused()
    {
        await using var factory = new RecsWebFactory();
        using var client = AppClient.Create(factory);
        await client.SignInAsDemoAsync();

        var response = await client.Http.PostAsync("/authentication/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/authentication/me")).StatusCode);
    }

    [Fact]
    public async Task SessionsAndStoredTokensSurviveARestartOfTheApp()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser("listener", "Test Listener", accountId: "acc-1");
        using var data = new TempDirectory();
        string cookie;
        string accessToken;
        await using (var first = new RecsWebFactory().WithFakeSpotify(spotify).With("Recs:DataDirectory", data.Path))
        {
            using var client = AppClient.Create(first);
            var done = await client.SignInWithSpotifyAsync(spotify, "listener");
            cookie = done.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("recs.auth=", StringComparison.Ordinal)).Split(';')[0];
            accessToken = (await first.Services.GetRequiredService<UserTokenStore>().GetAsync("acc-1"))!.AccessToken;
        }

        await using var second = new RecsWebFactory().WithFakeSpotify(spotify).With("Recs:DataDirectory", data.Path);
        using var http = second.CreateClient(new() { BaseAddress = new Uri("http://127.0.0.1"), HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/authentication/me");
        request.Headers.Add("Cookie", cookie);
        var me = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("acc-1", (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("account_id").GetString());
        Assert.Equal(accessToken, (await second.Services.GetRequiredService<UserTokenStore>().GetAsync("acc-1"))!.AccessToken);
    }

    [Fact]
    public async Task LiveCircuitsRevalidateTheirUserWithTheSameRuleAsTheCookie()
    {
        await using var factory = new RecsWebFactory();
        using var scope = factory.Services.CreateScope();

        var provider = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>();

        Assert.IsType<RecsRevalidatingAuthenticationStateProvider>(provider);
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task SignInNeverRedirectsOffSite(string returnUrl)
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser("listener", "Test Listener");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        using var client = AppClient.Create(factory);

        var done = await client.SignInWithSpotifyAsync(spotify, "listener", returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/", done.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/library?sort=bpm", true)]
    [InlineData("/", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("/\t/evil.example", false)]
    [InlineData("https://evil.example", false)]
    [InlineData("evil", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void OnlyLocalPathsCountAsReturnUrls(string? url, bool local)
        => Assert.Equal(local, LocalRedirect.IsLocal(url));

    [Fact]
    public async Task WhenSpotifyIsNotConfiguredTheSignInPageExplainsHowAndOffersTheDemo()
    {
        await using var factory = new RecsWebFactory().With("Spotify:ClientId", "").With("Spotify:ClientSecret", "");
        using var client = AppClient.Create(factory);

        var page = WebUtility.HtmlDecode(await client.Http.GetStringAsync("/signin"));
        var login = await client.Http.GetAsync("/authentication/login?returnUrl=/library");

        Assert.Contains("http://127.0.0.1:5032/signin-spotify", page);
        Assert.Contains("Spotify__ClientId", page);
        Assert.Contains("dotnet user-secrets", page);
        Assert.Contains("Explore the demo", page);
        Assert.DoesNotContain("Sign in with Spotify", page);
        Assert.Equal("/signin?returnUrl=%2Flibrary&reason=not-configured", login.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TheDemoSignsInTheDemoListenerWithTheCookieOnly()
    {
        await using var factory = new RecsWebFactory();
        using var client = AppClient.Create(factory);

        var response = await client.SignInAsDemoAsync("/library");
        var me = await client.Http.GetFromJsonAsync<JsonElement>("/authentication/me");

        Assert.Equal("/library", response.Headers.Location!.OriginalString);
        Assert.Equal("demo", me.GetProperty("account_id").GetString());
        Assert.Equal("Demo listener", me.GetProperty("display_name").GetString());
        Assert.True(me.GetProperty("is_demo").GetBoolean());
        Assert.Null(await factory.Services.GetRequiredService<UserTokenStore>().GetAsync("demo"));
    }

    [Fact]
    public async Task TheDemoIsNotOfferedWhereSpotifyIsConfiguredUnlessSwitchedOn()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        using var client = AppClient.Create(factory);

        var page = await client.Http.GetStringAsync("/signin");
        // A hand-made POST with a valid antiforgery token: the page offers no demo form, the endpoint must refuse too.
        var response = await AppClient.PostFormAnonymouslyAsync(factory, "/authentication/demo", new() { ["returnUrl"] = "/" });

        Assert.Contains("Sign in with Spotify", page);
        Assert.DoesNotContain("Explore the demo", page);
        Assert.Equal("/signin?returnUrl=%2F&reason=demo-unavailable", response.Headers.Location!.OriginalString);
        Assert.False(
            response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("recs.auth=", StringComparison.Ordinal)),
            "no session cookie is issued");
    }

    [Fact]
    public async Task WithDemoSignInSwitchedOnBothWaysInAreOffered()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify).With("Recs:DemoSignIn", "true");
        using var client = AppClient.Create(factory);

        var page = await client.Http.GetStringAsync("/signin");
        var response = await client.SignInAsDemoAsync();

        Assert.Contains("Sign in with Spotify", page);
        Assert.Contains("Explore the demo", page);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/authentication/me")).StatusCode);
    }
}
