using MudBlazor;

namespace Recs.Web.Components.Layout;

/// <summary>
/// The app theme: dark by default. Every palette colour meets WCAG AA (4.5:1) both as text on the page background and
/// behind its contrast text, so filled chips, buttons and alerts stay readable in both themes (issue 13.13): the light
/// theme uses dark tones under white text, the dark theme bright tones under near-black text.
/// </summary>
public static class RecsTheme
{
    private const string DarkText = "#121212";

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#176b40",
            Secondary = "#6a4fb3",
            Success = "#1e7b3e",
            Warning = "#8f5100",
            Error = "#c62828",
            Info = "#0b62c0",
            AppbarBackground = "#176b40",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#1ed760",
            PrimaryContrastText = DarkText,
            Secondary = "#b69cff",
            SecondaryContrastText = DarkText,
            Success = "#3dcb6c",
            SuccessContrastText = DarkText,
            Warning = "#ffb545",
            WarningContrastText = DarkText,
            Error = "#ff7a85",
            ErrorContrastText = DarkText,
            Info = "#5cb1ff",
            InfoContrastText = DarkText,
            AppbarBackground = "#121212",
            Background = "#181818",
            Surface = "#222222",
        },
    };
}
