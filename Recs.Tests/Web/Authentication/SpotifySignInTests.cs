using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeSpotify;
using Recs.Web.Authentication;

namespace Recs.Tests.Web.Authentication;

public sealed class SpotifySignInTests
{
    [Fact]
    public async Task SigningInThroughSpotifyKeysTheSessionOnTheAccountIdWithNameAndImageFromMe()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser("listener", "Test Listener", accountId: "acc-7f3a");
        user.ImageUrl = "https://i.scdn.co/image/avatar";
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        using var client = AppClient.Create(factory);

        var done = await client.SignInWithSpotifyAsync(spotify, "listener", returnUrl: "/library");
        var me = await client.Http.GetFromJsonAsync<JsonElement>("/authentication/me");

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/library", done.Headers.Location!.OriginalString);
        Assert.Equal("acc-7f3a", me.GetProperty("account_id").GetString());
        Assert.Equal("Test Listener", me.GetProperty("display_name").GetString());
        Assert.Equal("https://i.scdn.co/image/avatar", me.GetProperty("image_url").GetString());
        Assert.False(me.GetProperty("is_demo").GetBoolean());
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync();
        var account = await db.UserAccounts.SingleAsync();
        Assert.Equal(("acc-7f3a", "listener", "Test Listener", false), (account.AccountId, account.SpotifyUserId, account.DisplayName, account.IsDemo));
    }

    [Fact]
    public async Task AnAccountWithoutAccountIdIsKeyedOnItsSpotifyId()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser("old-user", "Old User", accountId: "");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        using var client = AppClient.Create(factory);

        await client.SignInWithSpotifyAsync(spotify, "old-user");
        var me = await client.Http.GetFromJsonAsync<JsonElement>("/authentication/me");

        Assert.Equal("old-user", me.GetProperty("account_id").GetString());
        Assert.Null(me.GetProperty("image_url").GetString());
    }

    [Fact]
    public async Task CancellingOnSpotifysConsentPageComesBackToSignInWithTheReason()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser("listener", "Test Listener");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        using var client = AppClient.Create(factory);
        var challenge = await client.Http.GetAsync("/authentication/login?returnUrl=/library");
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(challenge.Headers.Location!.Query);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var consent = await browser.PostAsync(spotify.AccountsBaseUrl + "/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = query["client_id"]!, ["redirect_uri"] = query["redirect_uri"]!, ["state"] = query["state"]!,
            ["scope"] = query["scope"]!, ["code_challenge"] = query["code_challenge"]!, ["user_id"] = "listener", ["decision"] = "cancel",
        }));
        var back = await client.Http.GetAsync(consent.Headers.Location!.PathAndQuery);

        Assert.Contains("error=access_denied", consent.Headers.Location!.Query);
        Assert.Equal("/signin?returnUrl=%2Flibrary&reason=denied", back.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Http.GetAsync("/authentication/me")).StatusCode);
    }

    [Fact]
    public async Task TheAuthorizeRequestUsesPkceTheLoopbackCallbackAndTheScopesRecsNeeds()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        using var client = AppClient.Create(factory);

        var challenge = await client.Http.GetAsync("/authentication/login");
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(challenge.Headers.Location!.Query);

        Assert.Equal("code", query["response_type"]);
        Assert.Equal(FakeSpotifyServer.DefaultClientId, query["client_id"]);
        Assert.Equal("http://127.0.0.1/signin-spotify", query["redirect_uri"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.Equal("user-library-read playlist-modify-private user-read-private", query["scope"]);
    }

    [Fact]
    public async Task TheStoredTokensAreEncryptedAndWorkAgainstSpotify()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser("listener", "Test Listener", accountId: "acc-1");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        using var client = AppClient.Create(factory);
        await client.SignInWithSpotifyAsync(spotify, "listener");

        var stored = await factory.Services.GetRequiredService<UserTokenStore>().GetAsync("acc-1");
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync();
        var row = await db.UserTokens.SingleAsync();

        Assert.NotNull(stored);
        Assert.NotNull(stored.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await CallMeAsync(spotify, stored.AccessToken)).StatusCode);
        Assert.DoesNotContain(stored.AccessToken, row.ProtectedAccessToken);
        Assert.DoesNotContain(stored.RefreshToken, row.ProtectedRefreshToken!);
        Assert.Equal("user-library-read playlist-modify-private user-read-private", row.Scope);
        Assert.InRange(row.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));
        // The keys live in the database (shared by every instance, ADR-152), not in the data directory.
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
        Assert.False(Directory.Exists(Path.Combine(factory.DataDirectory, "keys")));
    }

    [Fact]
    public async Task ASpotifyUserNotRegisteredForADevelopmentModeAppIsToldWhy()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser("stranger", "Stranger");
        user.RegisteredInDashboard = false;
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        using var client = AppClient.Create(factory);

        var done = await client.SignInWithSpotifyAsync(spotify, "stranger");

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Contains("reason=not-registered", done.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Http.GetAsync("/authentication/me")).StatusCode);
    }

    // The return URL as the browser sends it in the login link (not escaped again, like a hand-typed or old link), the
    // query-decoded value the framework then holds, and where the listener must end up.
    [Theory]
    [InlineData("/library?q=caf%C3%A9", "/library?q=caf%C3%A9")]
    [InlineData("/library?q=Beyonc%C3%A9%26sort=bpm", "/library?q=Beyonc%C3%A9&sort=bpm")]
    [InlineData("/library?q=%F0%9F%8E%B8%20rock", "/library?q=%F0%9F%8E%B8%20rock")]
    [InlineData("/library?q=%0D%0ASet-Cookie:x=1", "/")]
    [InlineData("/library?q=a%09b", "/")]
    public async Task NonAsciiAndControlCharactersInTheReturnUrlEndSignedInAtTheRightPageOnKestrel(string sentInLink, string expected)
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser("listener", "Test Listener", accountId: "acc-1");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        var app = factory.StartKestrel();
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = app };

        var challenge = await browser.GetAsync("/authentication/login?returnUrl=" + sentInLink);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        spotify.AutoConsent = true;
        spotify.ConsentUserId = "listener";
        var consent = await browser.GetAsync(challenge.Headers.Location!);
        var done = await browser.GetAsync(consent.Headers.Location!.PathAndQuery);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(expected, done.Headers.Location!.OriginalString);
        Assert.Equal("acc-1", (await browser.GetFromJsonAsync<JsonElement>("/authentication/me")).GetProperty("account_id").GetString());
        var page = await browser.GetAsync(expected);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Theory]
    [InlineData("/library?q=café", "/library?q=caf%C3%A9")]
    [InlineData("/a b/🎸?x=é", "/a%20b/%F0%9F%8E%B8?x=%C3%A9")]
    [InlineData("/library?q=caf%C3%A9", "/library?q=caf%C3%A9")]
    [InlineData("/library?q=a\u0007", "/")]
    [InlineData("//evil.example/é", "/")]
    public void LocalReturnUrlsAreKeptAndEncodedForTheLocationHeader(string returnUrl, string expected)
    {
        var result = LocalRedirect.OrRoot(returnUrl);

        Assert.Equal(expected, result);
        Assert.All(result, c => Assert.InRange(c, '!', '~'));
    }

    internal static async Task<HttpResponseMessage> CallMeAsync(FakeSpotifyServer spotify, string accessToken)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, spotify.ApiBaseUrl + "/me");
        request.Headers.Authorization = new("Bearer", accessToken);
        return await http.SendAsync(request);
    }
}
