using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Recs.Tests.TestSupport.FakeSpotify;

namespace Recs.Tests.TestSupport;

/// <summary>
/// An HTTP client on the in-memory app that keeps cookies and does not follow redirects (so tests can see them), with
/// sign-in helpers: the real OAuth dance against a <see cref="FakeSpotifyServer"/>, or the demo listener.
/// The base address is <c>http://127.0.0.1</c> because Spotify (and the fake) refuse <c>localhost</c> redirect URIs.
/// </summary>
public sealed partial class AppClient : IDisposable
{
    private AppClient(HttpClient http) => Http = http;

    public HttpClient Http { get; }

    public static AppClient Create(RecsWebFactory factory)
        => new(factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://127.0.0.1"), AllowAutoRedirect = false, HandleCookies = true,
        }));

    /// <summary>
    /// Signs in through the real middleware: <c>/authentication/login</c> → the fake's <c>/authorize</c> (auto-consent as
    /// <paramref name="userId"/>) → <c>/signin-spotify</c>. Returns the app's final redirect (to the return URL on success).
    /// </summary>
    public async Task<HttpResponseMessage> SignInWithSpotifyAsync(FakeSpotifyServer spotify, string userId, string returnUrl = "/")
    {
        var challenge = await Http.GetAsync("/authentication/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(spotify.AccountsBaseUrl + "/authorize?", authorize.ToString());

        spotify.AutoConsent = true;
        spotify.ConsentUserId = userId;
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var consent = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var callback = consent.Headers.Location!;
        Assert.Equal("/signin-spotify", callback.AbsolutePath);

        return await Http.GetAsync(callback.PathAndQuery);
    }

    /// <summary>Signs in the demo listener through the sign-in page's form (with its antiforgery token).</summary>
    public async Task<HttpResponseMessage> SignInAsDemoAsync(string returnUrl = "/")
        => await PostFormAsync("/signin", "/authentication/demo", new() { ["returnUrl"] = returnUrl });

    /// <summary>Signs out through the user menu's form.</summary>
    public async Task<HttpResponseMessage> SignOutAsync()
        => await PostFormAsync("/", "/authentication/logout", new() { ["returnUrl"] = "/" });

    /// <summary>Loads <paramref name="pagePath"/> for its antiforgery token (and cookie), then posts the form to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string action, Dictionary<string, string> fields)
    {
        var token = await AntiforgeryTokenAsync(pagePath);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        return await Http.PostAsync(action, new FormUrlEncodedContent(form));
    }

    /// <summary>
    /// Posts a form, from a fresh cookie-less client, with an anonymous antiforgery token minted by the app itself: for
    /// endpoints no page offers a form for.
    /// </summary>
    public static async Task<HttpResponseMessage> PostFormAnonymouslyAsync(RecsWebFactory factory, string action, Dictionary<string, string> fields)
    {
        using var http = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://127.0.0.1"), AllowAutoRedirect = false, HandleCookies = false,
        });
        var antiforgery = factory.Services.GetRequiredService<IAntiforgery>();
        var options = factory.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        var tokens = antiforgery.GetTokens(new DefaultHttpContext { RequestServices = factory.Services });
        using var request = new HttpRequestMessage(HttpMethod.Post, action)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { [tokens.FormFieldName] = tokens.RequestToken! }),
        };
        request.Headers.Add("Cookie", $"{options.Cookie.Name}={tokens.CookieToken}");
        return await http.SendAsync(request);
    }

    public async Task<string> AntiforgeryTokenAsync(string pagePath)
    {
        var html = await Http.GetStringAsync(pagePath);
        var match = AntiforgeryInput().Match(html);
        Assert.True(match.Success, $"{pagePath} renders no antiforgery token");
        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}

public static class RecsWebFactorySpotifyExtensions
{
    /// <summary>Points <c>Spotify:*</c> (credentials and both base URLs) at the fake.</summary>
    public static RecsWebFactory WithFakeSpotify(this RecsWebFactory factory, FakeSpotifyServer spotify)
        => factory
            .With("Spotify:ClientId", spotify.ClientId)
            .With("Spotify:ClientSecret", spotify.ClientSecret)
            .With("Spotify:AccountsBaseUrl", spotify.AccountsBaseUrl)
            .With("Spotify:ApiBaseUrl", spotify.ApiBaseUrl);
}
