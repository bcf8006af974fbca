using Microsoft.AspNetCore.Components;
using Recs.Web.Libraries;

namespace Recs.Web.Components.Pages.Clusters;

/// <summary>
/// "Sounds like …": the catalog tracks nearest to <see cref="Track"/>, in a drawer over the right edge of the page so it
/// opens where the listener is looking, wherever they had scrolled the table to.
/// </summary>
public sealed partial class SimilarTracksDrawer : IDisposable
{
    [Inject] private ISimilarTracksSource Similar { get; set; } = default!;

    /// <summary>The track whose neighbours are shown; null closes the drawer.</summary>
    [Parameter] public TrackRow? Track { get; set; }

    [Parameter] public EventCallback Closed { get; set; }

    private readonly CancellationTokenSource _cts = new();
    private TrackRow? _shown;
    private IReadOnlyList<SimilarTrack>? _similar;
    private bool _loading;

    protected override async Task OnParametersSetAsync()
    {
        if (Track is null || ReferenceEquals(Track, _shown))
        {
            _shown = Track;
            return;
        }

        _shown = Track;
        _similar = null;
        _loading = true;
        StateHasChanged();
        try
        {
            _similar = await Similar.FindAsync(Track.Features, Track.Id, 10, _cts.Token);
        }
        finally
        {
            _loading = false;
        }
    }

    private Task OnOpenChanged(bool open) => open ? Task.CompletedTask : CloseAsync();

    private Task CloseAsync() => Closed.InvokeAsync();

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
