using Microsoft.AspNetCore.Components;
using Recs.Web.Libraries;

namespace Recs.Web.Components.Pages.Clusters;

/// <summary>
/// A column header that sorts: a click adds the column as the next sort key, a second click reverses it, a third
/// removes it (<see cref="TrackSorts.Toggle"/>). Shows the direction and, with several keys, the key's rank.
/// </summary>
public sealed partial class SortHeader
{
    /// <summary>The canonical column name (see <see cref="TrackSorts.Columns"/>).</summary>
    [Parameter, EditorRequired] public string Column { get; set; } = "";

    [Parameter, EditorRequired] public TrackSorts Sorts { get; set; } = TrackSorts.None;

    [Parameter] public EventCallback<string> Toggle { get; set; }

    private string AriaLabel => Sorts.Find(Column) is { } sort
        ? $"{TrackSorts.Columns[Column]}: sort key {Sorts.IndexOf(Column) + 1}, {(sort.Descending ? "descending; click to remove" : "ascending; click to reverse")}"
        : $"Sort by {TrackSorts.Columns[Column]}" + (Sorts.Count > 0 ? " next" : "");
}
