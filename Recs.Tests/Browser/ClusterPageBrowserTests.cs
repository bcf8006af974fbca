using Microsoft.Playwright;
using Recs.Tests.TestSupport.Browser;

namespace Recs.Tests.Browser;

/// <summary>
/// The cluster page where the listener looks (issue 13.10: similar tracks in sight; 13.15: compact rows, titles from
/// their start), at laptop and phone size in both themes, as the signed-in demo listener with a trained model and an
/// uploaded library (<see cref="AccessibilityBrowserTests.App"/>).
/// </summary>
public sealed class ClusterPageBrowserTests(AccessibilityBrowserTests.App app) : IClassFixture<AccessibilityBrowserTests.App>
{
    static ClusterPageBrowserTests() => Assertions.SetDefaultExpectTimeout(20_000);

    [BrowserTheory]
    [MemberData(nameof(BrowserViews.All), MemberType = typeof(BrowserViews))]
    public async Task TheSimilarTracksControlIsInViewAndItsPanelOpensInView(Screen screen, Theme theme)
    {
        var (width, height) = BrowserViews.SizeOf(screen);
        var page = await app.OpenClusterAsync(screen, theme);

        // The control of a row is inside the viewport and the table's visible box, without scrolling sideways.
        var button = page.GetByTestId("similar-button").First;
        await Assertions.Expect(button).ToBeVisibleAsync();
        var container = page.GetByTestId("tracks").Locator(".mud-table-container");
        var table = (await container.BoundingBoxAsync())!;
        var box = (await button.BoundingBoxAsync())!;
        var where = $"similar-tracks button at x {box.X:F0}–{box.X + box.Width:F0}, y {box.Y:F0}; the table shows x {table.X:F0}–{table.X + table.Width:F0}";
        Assert.True(box.X >= table.X && box.X + box.Width <= table.X + table.Width, where);
        Assert.True(box.X >= 0 && box.X + box.Width <= width && box.Y >= 0 && box.Y + box.Height <= height, $"{where}: outside the {width}×{height} viewport");
        Assert.Equal(0, await container.EvaluateAsync<int>("e => e.scrollLeft"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.scrollX"));

        // "Sounds like …" opens where the listener is looking: inside the viewport, with its rows.
        await button.ClickAsync();
        var title = page.GetByTestId("similar-title");
        await Assertions.Expect(title).ToBeVisibleAsync();
        await Assertions.Expect(title).ToContainTextAsync("Sounds like");
        await Assertions.Expect(page.GetByTestId("similar-row").First).ToBeVisibleAsync();
        // The drawer slides in: measure until it holds (a panel placed off screen never does).
        string? outside = "not measured";
        for (var attempt = 0; attempt < 20 && outside is not null; attempt++)
        {
            if (attempt > 0)
            {
                await page.WaitForTimeoutAsync(250);
            }

            outside = null;
            foreach (var (name, locator) in new[] { ("title", title), ("first similar track", page.GetByTestId("similar-row").First) })
            {
                var b = (await locator.BoundingBoxAsync())!;
                if (!(b.X >= 0 && b.Y >= 0 && b.X + b.Width <= width && b.Y + b.Height <= height))
                {
                    outside = $"the panel's {name} at ({b.X:F0}, {b.Y:F0}) size {b.Width:F0}×{b.Height:F0} is outside the {width}×{height} viewport";
                }
            }
        }

        Assert.True(outside is null, outside);

        await page.GetByTestId("similar-close").ClickAsync();
        await Assertions.Expect(title).Not.ToBeVisibleAsync();
    }

    [BrowserTheory]
    [MemberData(nameof(BrowserViews.All), MemberType = typeof(BrowserViews))]
    public async Task EachTrackIsACompactRowWithItsTitleFromTheStart(Screen screen, Theme theme)
    {
        var (width, _) = BrowserViews.SizeOf(screen);
        var page = await app.OpenClusterAsync(screen, theme);

        var titles = page.GetByTestId("track-title");
        await Assertions.Expect(titles.First).ToBeVisibleAsync();
        if (screen == Screen.Phone)
        {
            // The phone's compact layout: artists and numbers in a line under the title, instead of columns.
            await Assertions.Expect(page.GetByTestId("track-compact").First).ToBeVisibleAsync();
        }

        // Compact: a row is well under the ~300 px stacked card the phone used to get, and several fit on the screen.
        var rowHeights = await page.GetByTestId("tracks").Locator("tbody tr:has([data-testid=track-title])")
            .EvaluateAllAsync<double[]>("rows => rows.slice(0, 5).map(r => r.getBoundingClientRect().height)");
        Assert.True(rowHeights.Length >= 2, $"fewer than two track rows on the {screen}");
        Assert.All(rowHeights, h => Assert.InRange(h, 1, 90));

        // The title is not cut at the start: its first letter is drawn inside the title's box and on the screen.
        var start = await titles.First.EvaluateAsync<double[]>("""
            e => { const text = e.firstChild; const range = document.createRange();
                   range.setStart(text, 0); range.setEnd(text, 1);
                   const c = range.getBoundingClientRect(), b = e.getBoundingClientRect();
                   return [c.left, b.left, b.right, e.scrollLeft]; }
            """);
        Assert.True(start[0] >= start[1] - 0.5 && start[0] < start[2], $"the title's first letter at x {start[0]:F0} is outside its box {start[1]:F0}–{start[2]:F0}");
        Assert.True(start[0] >= 0 && start[0] < width, $"the title's first letter at x {start[0]:F0} is off the {width} px screen");
        Assert.Equal(0, start[3]);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"the {screen} page scrolls sideways");

        var similar = (await page.GetByTestId("similar-button").First.BoundingBoxAsync())!;
        Assert.True(similar.X >= 0 && similar.X + similar.Width <= width, $"similar-tracks button at x {similar.X:F0}–{similar.X + similar.Width:F0}");
    }
}
