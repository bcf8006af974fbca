using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using MudBlazor;
using Recs.Core;
using Recs.Web.Libraries;

namespace Recs.Web.Components.Pages.Clusters;

/// <summary>
/// The cluster's tracks, virtualised: only the rows in view are fetched (filtered and sorted by <see cref="Query"/>) and
/// rendered, as plain markup of this component inside Blazor's <see cref="Virtualize{TItem}"/>.
/// Sorting is the table's own header gesture (<see cref="SortHeader"/>), not the grid's, so "click BPM, then Energy"
/// sorts by both. The similar-tracks button sits in the first, sticky column beside the title; below the small
/// breakpoint each track is one compact row (title, then artist · BPM · energy) and the other columns are hidden; their
/// sort buttons for artist, BPM and energy then sit in the title's header, so a phone sorts with the same gesture.
/// </summary>
public sealed partial class ClusterTrackTable
{
    /// <summary>Shown only from the small breakpoint (600 px) up.</summary>
    private const string Wide = "d-none d-sm-table-cell";

    /// <summary>The columns a phone's compact row shows besides the title, sortable from the title's header.</summary>
    private static readonly string[] CompactColumns = ["artists", "tempo", "energy"];

    private static readonly (string Column, int Feature)[] FeatureColumns =
        [("tempo", 0), ("energy", 1), ("danceability", 2), ("valence", 3), ("loudness", 4)];

    private static readonly MarkupString SimilarIcon = new(Icons.Material.Filled.TravelExplore);

    [Inject] private LibraryService Library { get; set; } = default!;

    [Parameter, EditorRequired] public string? UserId { get; set; }

    [Parameter, EditorRequired] public int ClusterId { get; set; }

    [Parameter] public bool UseRecsModel { get; set; } = true;

    [Parameter, EditorRequired] public TrackQuery Query { get; set; } = new();

    [Parameter] public EventCallback<TrackQuery> QueryChanged { get; set; }

    /// <summary>The number of rows that match the filters, after each load.</summary>
    [Parameter] public EventCallback<int> FilteredCountChanged { get; set; }

    [Parameter] public EventCallback<TrackRow> OnSimilar { get; set; }

    private Virtualize<TrackRow>? _rows;
    private TrackQuery? _loaded;
    private int? _filtered;

    protected override async Task OnParametersSetAsync()
    {
        if (_rows is not null && _loaded is not null && _loaded != Query)
        {
            await _rows.RefreshDataAsync();
        }
    }

    private static string ChipClass(TrackRow row) => PlainMarkup.SmallChipClass(FeatureSourcePresentation.Color(row.Source, row.Confidence));

    private Task ToggleAsync(string column) => QueryChanged.InvokeAsync(Query with { Sort = Query.Sorts.Toggle(column) });

    private async ValueTask<ItemsProviderResult<TrackRow>> LoadRowsAsync(ItemsProviderRequest request)
    {
        var query = Query;
        _loaded = query;
        if (UserId is null)
        {
            return new ItemsProviderResult<TrackRow>([], 0);
        }

        var result = await Library.GetClusteringAsync(UserId, UseRecsModel, request.CancellationToken);
        var page = result.Clustering is { } clustering ? LibraryService.QueryTracks(clustering, ClusterId, query, request.StartIndex, request.Count) : null;
        if (page is null)
        {
            return new ItemsProviderResult<TrackRow>([], 0);
        }

        if (_filtered != page.TotalRows)
        {
            _filtered = page.TotalRows;
            _ = InvokeAsync(() => FilteredCountChanged.InvokeAsync(page.TotalRows));
        }

        return new ItemsProviderResult<TrackRow>(page.Rows, page.TotalRows);
    }
}
