using Microsoft.AspNetCore.Components;
using Recs.Web.Libraries;

namespace Recs.Web.Components.Pages.Clusters;

/// <summary>The sort order in words ("1 BPM ↑ · 2 Energy ↓"): each key can be removed, or all cleared.</summary>
public sealed partial class SortOrderChips
{
    [Parameter, EditorRequired] public TrackSorts Sorts { get; set; } = TrackSorts.None;

    [Parameter] public EventCallback<TrackSorts> SortsChanged { get; set; }

    /// <summary>"BPM ↑" / "Energy ↓".</summary>
    public static string Label(TrackSort sort) => $"{TrackSorts.Columns[sort.Column]} {(sort.Descending ? "↓" : "↑")}";
}
