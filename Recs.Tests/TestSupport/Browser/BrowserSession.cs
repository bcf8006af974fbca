using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Playwright;

namespace Recs.Tests.TestSupport.Browser;

/// <summary>
/// One headless Chromium page against the real app served on Kestrel by <see cref="RecsWebFactory.StartKestrel"/>.
/// Owns Playwright, the browser and the context; dispose it (the factory stays yours).
/// </summary>
/// <example>
/// <code>
/// await using var factory = new RecsWebFactory();
/// await using var browser = await BrowserSession.StartAsync(factory);
/// await browser.GotoAsync("/signin");
/// await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Explore the demo" }).ClickAsync();
/// await browser.ScreenshotAsync("signed-in");
/// </code>
/// </example>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _testName;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, Uri baseAddress, string testName)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
        BaseAddress = baseAddress;
        _testName = testName;
    }

    /// <summary>Where the app listens (http://127.0.0.1:port/).</summary>
    public Uri BaseAddress { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>
    /// Serves <paramref name="factory"/> on Kestrel (configure it with <c>.With(…)</c> first) and opens a page on it.
    /// Fails with a clear message when Chromium is missing (only reached under CI; see <see cref="BrowserFactAttribute"/>).
    /// </summary>
    public static async Task<BrowserSession> StartAsync(RecsWebFactory factory, [CallerMemberName] string testName = "")
    {
        if (!Chromium.IsInstalled)
        {
            throw new InvalidOperationException(Chromium.MissingMessage);
        }

        var baseAddress = factory.StartKestrel();
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium.ExecutablePath,
                Args = Chromium.LaunchArgs,
                Headless = true,
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = baseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            });
            // Generous but bounded: the machine is shared by parallel builds.
            context.SetDefaultTimeout(20_000);
            var page = await context.NewPageAsync();
            return new BrowserSession(playwright, browser, context, page, baseAddress, testName);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Navigates to an app-relative path and waits until the Blazor circuit is live.</summary>
    public async Task GotoAsync(string relativePath)
    {
        await Page.GotoAsync(relativePath);
        await WaitForInteractiveAsync();
    }

    /// <summary>
    /// Waits for MainLayout's <c>data-interactive="true"</c> marker: a click before the Server circuit connects is
    /// silently lost, so every interaction after a full page load must wait for this first.
    /// </summary>
    public Task WaitForInteractiveAsync()
        => Page.Locator("[data-interactive='true']").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>
    /// Signs in the demo listener through the sign-in page's "Explore the demo" button (the demo must be available:
    /// no Spotify credentials, or <c>Recs:DemoSignIn=true</c>) and waits until the app bar shows them.
    /// </summary>
    public async Task SignInAsDemoAsync(string returnUrl = "/")
    {
        await GotoAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await Page.GetByTestId("signin-demo").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("user-name")).ToHaveTextAsync("Demo listener");
        await WaitForInteractiveAsync();
    }

    /// <summary>
    /// Signs in through the real OAuth flow against <paramref name="spotify"/> (auto-consent as <paramref name="userId"/>;
    /// configure the factory with <c>.WithFakeSpotify(spotify)</c>) and waits until the app bar shows the user.
    /// </summary>
    public async Task SignInWithSpotifyAsync(FakeSpotify.FakeSpotifyServer spotify, string userId, string returnUrl = "/")
    {
        spotify.AutoConsent = true;
        spotify.ConsentUserId = userId;
        await Page.GotoAsync("/authentication/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await Assertions.Expect(Page.GetByTestId("user-name")).ToHaveTextAsync(spotify.Data.Users[userId].DisplayName);
        await WaitForInteractiveAsync();
    }

    /// <summary>Saves a full-page screenshot as <c>TestResults/screenshots/{test}-{name}.png</c> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(ScreenshotDirectory, $"{_testName}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>
    /// Runs the steps of a journey. When one fails, saves a <c>failure</c> screenshot and rethrows with the page's
    /// address and visible text, so a failure on CI, where nobody watches the browser, says what the page showed.
    /// </summary>
    public async Task JourneyAsync(Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception ex) when (ex is not BrowserJourneyException)
        {
            string shot, text;
            try
            {
                shot = await ScreenshotAsync("failure");
                text = await Page.InnerTextAsync("body", new PageInnerTextOptions { Timeout = 5_000 });
            }
            catch (PlaywrightException)
            {
                ExceptionDispatchInfo.Throw(ex); // the page is gone: the original failure is all there is
                throw;
            }

            text = text.ReplaceLineEndings(" | ");
            throw new BrowserJourneyException(
                $"{ex.Message}\n  page: {Page.Url}\n  screenshot: {shot}\n  page text: {(text.Length > 1500 ? text[..1500] + "…" : text)}", ex);
        }
    }

    /// <summary><c>Recs.Tests/TestResults/screenshots</c> (the test results folder CI keeps as artifacts).</summary>
    public static string ScreenshotDirectory { get; } = FindScreenshotDirectory();

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private static string FindScreenshotDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Recs.Tests.csproj")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>A failed browser journey step, with what the page showed (<see cref="BrowserSession.JourneyAsync"/>).</summary>
public sealed class BrowserJourneyException(string message, Exception inner) : Exception(message, inner);
