using MudBlazor;

namespace Recs.Web.Components.Layout;

/// <summary>The app theme: dark by default, with contrast that stays readable on phones outdoors.</summary>
public static class RecsTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1b7f4c", Secondary = "#6a4fb3", AppbarBackground = "#1b7f4c" },
        PaletteDark = new PaletteDark { Primary = "#1ed760", Secondary = "#b69cff", AppbarBackground = "#121212", Background = "#181818", Surface = "#222222" },
    };
}
