using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Browser;
using Recs.Tests.TestSupport.FakeSpotify;

namespace Recs.Tests.Browser;

public sealed class SignInBrowserTests
{
    [BrowserFact]
    public async Task AListenerSignsInFromTheSignInButtonThroughSpotifysConsentPage()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        var user = spotify.AddUser("listener", "Test Listener", accountId: "acc-1");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify);
        await using var browser = await BrowserSession.StartAsync(factory);
        var page = browser.Page;

        await browser.GotoAsync("/signin");
        await browser.ScreenshotAsync("1-signin");
        await page.GetByTestId("signin-spotify").ClickAsync();

        // The fake's consent page, as Spotify's would be.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(spotify.AccountsBaseUrl + "/authorize")), new() { Timeout = 30_000 });
        await browser.ScreenshotAsync("2-consent");
        await page.Locator("#agree").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(browser.BaseAddress.ToString()) + "(?!.*signin)"), new() { Timeout = 30_000 });
        await browser.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync(user.DisplayName);
        await browser.ScreenshotAsync("3-signed-in");

        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sign-in")).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task AnAdminSignedInWithTheFixtureSeesTheAccountsPage()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync();
        spotify.AddUser("boss", "The Boss", accountId: "acc-boss");
        await using var factory = new RecsWebFactory().WithFakeSpotify(spotify).With("Recs:Admins:0", "acc-boss");
        await using var browser = await BrowserSession.StartAsync(factory);

        await browser.SignInWithSpotifyAsync(spotify, "boss", returnUrl: "/admin/accounts");

        await Assertions.Expect(browser.Page.GetByTestId("accounts")).ToContainTextAsync("acc-boss");
        await browser.ScreenshotAsync("accounts");
    }

    [BrowserFact]
    public async Task WithoutSpotifyCredentialsTheDemoIsOneClickAway()
    {
        await using var factory = new RecsWebFactory().With("Spotify:ClientId", "").With("Spotify:ClientSecret", "");
        await using var browser = await BrowserSession.StartAsync(factory);
        var page = browser.Page;

        await browser.GotoAsync("/signin");
        await Assertions.Expect(page.GetByTestId("spotify-not-configured")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("1-not-configured");

        await browser.SignInAsDemoAsync();

        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Demo listener");
        await browser.ScreenshotAsync("2-demo");
    }
}
