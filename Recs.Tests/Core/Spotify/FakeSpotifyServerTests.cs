using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Recs.Tests.TestSupport.FakeSpotify;

namespace Recs.Tests.Core.Spotify;

/// <summary>The fake Spotify itself behaves like the real services (others' tests rely on it).</summary>
public sealed partial class FakeSpotifyServerTests
{
    private const string Verifier = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-._~";

    [Fact]
    public async Task TheCodeFlowWithPkceThroughTheConsentPageIssuesTokensThatReadMe()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);
        spotify.AddUser("alice", "Alice", accountId: "acc-alice");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var redirect = "http://127.0.0.1:5000/signin-spotify";
        var challenge = FakeSpotifyServer.Sha256Base64Url(Verifier);

        var page = await http.GetStringAsync($"{spotify.AccountsBaseUrl}/authorize?client_id={spotify.ClientId}&response_type=code" +
            $"&redirect_uri={Uri.EscapeDataString(redirect)}&state=xyz&scope=user-library-read&code_challenge_method=S256&code_challenge={challenge}");
        Assert.Contains("id=\"agree\"", page);

        var consent = await http.PostAsync($"{spotify.AccountsBaseUrl}/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = spotify.ClientId, ["redirect_uri"] = redirect, ["state"] = "xyz", ["scope"] = "user-library-read",
            ["code_challenge"] = challenge, ["user_id"] = "alice", ["decision"] = "agree",
        }));
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var location = consent.Headers.Location!.ToString();
        Assert.StartsWith(redirect + "?code=", location);
        Assert.Contains("state=xyz", location);
        var code = Uri.UnescapeDataString(CodeParameter().Match(location).Groups[1].Value);

        // ASP.NET Core's OAuth handler style: client credentials in the form body.
        var token = await http.PostAsync($"{spotify.AccountsBaseUrl}/api/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirect, ["code_verifier"] = Verifier,
            ["client_id"] = spotify.ClientId, ["client_secret"] = spotify.ClientSecret,
        }));
        var tokenJson = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal("Bearer", tokenJson.GetProperty("token_type").GetString());
        Assert.True(tokenJson.TryGetProperty("refresh_token", out _));

        using var me = new HttpRequestMessage(HttpMethod.Get, $"{spotify.ApiBaseUrl}/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokenJson.GetProperty("access_token").GetString());
        var meJson = JsonDocument.Parse(await (await http.SendAsync(me)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("acc-alice", meJson.GetProperty("account_id").GetString());
        Assert.False(meJson.TryGetProperty("email", out _), "Development Mode drops email from /me");
    }

    [Fact]
    public async Task AWrongVerifierAndAReusedCodeAreRejectedWithInvalidGrant()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser();
        spotify.AutoConsent = true;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var redirect = "http://127.0.0.1:5000/cb";
        var auth = await http.GetAsync($"{spotify.AccountsBaseUrl}/authorize?client_id={spotify.ClientId}&response_type=code" +
            $"&redirect_uri={Uri.EscapeDataString(redirect)}&code_challenge_method=S256&code_challenge={FakeSpotifyServer.Sha256Base64Url(Verifier)}");
        var code = Uri.UnescapeDataString(CodeParameter().Match(auth.Headers.Location!.ToString()).Groups[1].Value);

        var wrong = await PostTokenAsync(http, spotify, basic: true, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect), ("code_verifier", Verifier + "x"));
        Assert.Equal("invalid_grant", wrong.GetProperty("error").GetString());

        // The code was consumed by the failed attempt, as a single-use code is.
        var again = await PostTokenAsync(http, spotify, basic: true, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect), ("code_verifier", Verifier));
        Assert.Equal("invalid_grant", again.GetProperty("error").GetString());
    }

    [Fact]
    public async Task LocalhostRedirectsAreRefusedAsSpotifyDoesSince2025()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var response = await http.GetAsync($"{spotify.AccountsBaseUrl}/authorize?client_id={spotify.ClientId}&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A5000%2Fcb");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid redirect URI", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RefreshTokensRotateAreSingleUseAndDieWithTheConsent()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser();
        var tokens = spotify.IssueUserTokens(user.Id);
        using var http = new HttpClient();

        var first = await PostTokenAsync(http, spotify, basic: true, ("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken!));
        var rotated = first.GetProperty("refresh_token").GetString();
        Assert.NotEqual(tokens.RefreshToken, rotated);

        var reused = await PostTokenAsync(http, spotify, basic: false, ("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken!));
        Assert.Equal("invalid_grant", reused.GetProperty("error").GetString());
        Assert.Equal("Refresh token revoked", reused.GetProperty("error_description").GetString());

        spotify.ExpireConsent(user.Id);
        var expired = await PostTokenAsync(http, spotify, basic: true, ("grant_type", "refresh_token"), ("refresh_token", rotated!));
        Assert.Equal("invalid_grant", expired.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ClientCredentialsTokensReadTheCatalogButNotUserData()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        var track = spotify.Data.GenerateCatalog(3, 2)[0];
        using var http = new HttpClient();
        var app = (await PostTokenAsync(http, spotify, basic: true, ("grant_type", "client_credentials"))).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app);

        var trackResponse = await http.GetAsync($"{spotify.ApiBaseUrl}/tracks/{track.Id}");
        var me = await http.GetAsync($"{spotify.ApiBaseUrl}/me");

        Assert.Equal(HttpStatusCode.OK, trackResponse.StatusCode);
        Assert.True(JsonDocument.Parse(await trackResponse.Content.ReadAsStringAsync()).RootElement.TryGetProperty("popularity", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task DevelopmentModeForbidsBatchesAndTrimsFieldsWhileExtendedQuotaServesThem()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.DevelopmentMode);
        var tracks = spotify.Data.GenerateCatalog(3, 2);
        var token = spotify.IssueUserTokens(spotify.AddUser().Id).AccessToken;
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var batchUrl = $"{spotify.ApiBaseUrl}/tracks?ids={string.Join(',', tracks.Select(t => t.Id))}";

        var forbidden = await http.GetAsync(batchUrl);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("""{"error":{"status":403,"message":"Forbidden"}}""", await forbidden.Content.ReadAsStringAsync());
        var single = JsonDocument.Parse(await http.GetStringAsync($"{spotify.ApiBaseUrl}/tracks/{tracks[0].Id}")).RootElement;
        Assert.False(single.TryGetProperty("popularity", out _));

        spotify.Profile = FakeSpotifyProfile.ExtendedQuota;
        var batch = JsonDocument.Parse(await http.GetStringAsync(batchUrl + ",0000000000000000000000")).RootElement.GetProperty("tracks");
        Assert.Equal(4, batch.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, batch[3].ValueKind);
    }

    [Fact]
    public async Task SavedTracksPageWithAbsoluteNextLinksAndKeepLocalFiles()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser();
        spotify.Data.SeedLibrary(user, trackCount: 120, artistCount: 10, localFiles: 3);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", spotify.IssueUserTokens(user.Id).AccessToken);

        var items = new List<JsonElement>();
        string? next = $"{spotify.ApiBaseUrl}/me/tracks?limit=50";
        var pages = 0;
        while (next is not null)
        {
            var page = JsonDocument.Parse(await http.GetStringAsync(next)).RootElement;
            items.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.GetProperty("next").GetString();
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(120, items.Count);
        Assert.Equal(3, items.Count(i => i.GetProperty("track").GetProperty("is_local").GetBoolean()));
    }

    [Fact]
    public async Task ScriptedFaultsAnswerTheNthRequestAndAreLogged()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser();
        spotify.Faults.FailNth("/v1/me", 2, FakeFault.QuotaExceeded(retryAfterSeconds: 3600));
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", spotify.IssueUserTokens(user.Id).AccessToken);

        var ok = await http.GetAsync($"{spotify.ApiBaseUrl}/me");
        var quota = await http.GetAsync($"{spotify.ApiBaseUrl}/me");
        var okAgain = await http.GetAsync($"{spotify.ApiBaseUrl}/me");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, quota.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), quota.Headers.RetryAfter!.Delta);
        Assert.Contains("QUOTA_EXCEEDED", await quota.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, okAgain.StatusCode);
        Assert.Equal([200, 429, 200], spotify.ApiRequests.Select(r => r.Status));
        Assert.All(spotify.ApiRequests, r => Assert.Equal("/v1/me", r.Route));
    }

    private static async Task<JsonElement> PostTokenAsync(HttpClient http, FakeSpotifyServer spotify, bool basic, params (string Key, string Value)[] form)
    {
        var fields = form.ToDictionary(f => f.Key, f => f.Value);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{spotify.AccountsBaseUrl}/api/token");
        if (basic)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{spotify.ClientId}:{spotify.ClientSecret}")));
        }
        else
        {
            fields["client_id"] = spotify.ClientId;
            fields["client_secret"] = spotify.ClientSecret;
        }

        request.Content = new FormUrlEncodedContent(fields);
        var response = await http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [GeneratedRegex("[?&]code=([^&]+)")]
    private static partial Regex CodeParameter();
}
