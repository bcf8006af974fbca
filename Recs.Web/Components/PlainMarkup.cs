using MudBlazor;

namespace Recs.Web.Components;

/// <summary>
/// MudBlazor's classes for markup written without its components, where a page holds many of them and a component
/// each would cost every circuit memory (ADR-180): one place spells them, so the look follows MudBlazor's.
/// </summary>
public static class PlainMarkup
{
    /// <summary>The classes of a small filled <c>MudChip</c> in <paramref name="color"/>.</summary>
    public static string SmallChipClass(Color color) =>
        "mud-chip mud-chip-filled mud-chip-size-small mud-chip-color-" + color.ToString().ToLowerInvariant();
}
