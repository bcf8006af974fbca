using Microsoft.AspNetCore.Components;
using Recs.Core;
using Recs.Web.Libraries;

namespace Recs.Web.Components.Pages.Clusters;

/// <summary>The filter panel: BPM range (with half/double tempo), text search, where the features came from and the 0–1 feature ranges
/// (behind "More filters" until asked for or in use).</summary>
public sealed partial class ClusterFilters
{
    /// <summary>The current query; the panel edits its filters and leaves the sort order alone.</summary>
    [Parameter, EditorRequired] public TrackQuery Query { get; set; } = new();

    [Parameter] public EventCallback<TrackQuery> QueryChanged { get; set; }

    private bool _moreOpen;

    /// <summary>A range in use stays on screen (it cannot be hidden while it filters).</summary>
    private bool RangesInUse => TrackQuery.RangeFeatures.Any(f => !Query.RangeOf(f).IsOpen);

    private bool ShowRanges => _moreOpen || RangesInUse;

    private IReadOnlyList<int> VisibleRanges => ShowRanges ? TrackQuery.RangeFeatures : [];

    private Task SetAsync(TrackQuery query) => QueryChanged.InvokeAsync(query);

    private static FeatureSource? Parse(string? name) => FeatureSources.TryParse(name, out var source) ? source : null;
}
