using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Browser;

namespace Recs.Tests.Browser;

public sealed class BrowserSessionTests
{
    [BrowserFact]
    public async Task TheHomePageBecomesInteractiveInChromiumAndIsSavedAsAScreenshot()
    {
        await using var factory = new RecsWebFactory();
        await using var browser = await BrowserSession.StartAsync(factory);

        await browser.GotoAsync("/");
        var path = await browser.ScreenshotAsync("home");

        Assert.Equal("true", await browser.Page.Locator("[data-interactive]").First.GetAttributeAsync("data-interactive"));
        Assert.True(new FileInfo(path).Length > 0, $"screenshot written to {path}");
    }
}
