using Microsoft.Playwright;

namespace Recs.Tests.TestSupport.Browser;

/// <summary>The screen a browser test looks at the app on: a laptop or a phone.</summary>
public enum Screen
{
    /// <summary>1366×900, the commonest laptop screen.</summary>
    Desktop,

    /// <summary>390×844, a current phone in portrait.</summary>
    Phone,
}

/// <summary>The app's two themes; dark is the default, the app bar's toggle switches to light.</summary>
public enum Theme
{
    Dark,
    Light,
}

/// <summary>
/// The sizes and themes the journey and accessibility tests run in (issue 13: "at desktop and phone sizes, in both
/// themes"): <c>[BrowserTheory, MemberData(nameof(BrowserViews.All), MemberType = typeof(BrowserViews))]</c>.
/// </summary>
public static class BrowserViews
{
    public static (int Width, int Height) Desktop { get; } = (1366, 900);

    public static (int Width, int Height) Phone { get; } = (390, 844);

    /// <summary>Every screen in every theme.</summary>
    public static TheoryData<Screen, Theme> All { get; } = new()
    {
        { Screen.Desktop, Theme.Dark },
        { Screen.Desktop, Theme.Light },
        { Screen.Phone, Theme.Dark },
        { Screen.Phone, Theme.Light },
    };

    public static (int Width, int Height) SizeOf(Screen screen) => screen == Screen.Desktop ? Desktop : Phone;

    /// <summary>
    /// Loads <paramref name="path"/>, waits for the Blazor circuit, and switches to the light theme when asked (a full
    /// load starts dark); then checks the page is drawn in <paramref name="theme"/>.
    /// </summary>
    public static async Task GotoAsync(IPage page, string path, Theme theme)
    {
        await page.GotoAsync(path);
        await page.Locator("[data-interactive='true']").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        if (theme == Theme.Light)
        {
            await page.GetByTestId("theme-toggle").ClickAsync();
        }

        await Assertions.Expect(page.Locator($"[data-theme='{(theme == Theme.Light ? "light" : "dark")}']")).ToHaveCountAsync(1);
    }
}
