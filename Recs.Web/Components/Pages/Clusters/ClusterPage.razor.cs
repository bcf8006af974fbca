using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Recs.Core.Libraries;
using Recs.Web.Libraries;

namespace Recs.Web.Components.Pages.Clusters;

/// <summary>
/// One cluster of the signed-in listener's library: the filters, the sort order, the track table, the exports, the
/// playlist form and the similar-tracks drawer. The page owns the <see cref="TrackQuery"/> (the same record the CSV
/// endpoint binds) and hands it to its children; the table holds only the rows in view.
/// </summary>
public sealed partial class ClusterPage : IDisposable
{
    private enum PageState { Loading, SignedOut, NoLibrary, NoModel, NotFound, Error, Ready }

    [Inject] private AuthenticationStateProvider AuthState { get; set; } = default!;

    [Inject] private LibraryService Library { get; set; } = default!;

    [Inject] private UserLibraryStore Store { get; set; } = default!;

    [Parameter] public int Id { get; set; }

    private readonly CancellationTokenSource _cts = new();
    private ClaimsPrincipal? _user;
    private PageState _state = PageState.Loading;
    private string? _userId;
    private string? _error;
    private bool _useRecsModel = true;

    private string? _name;
    private int _size;
    private int _filtered;
    private TrackQuery _query = new();
    private TrackRow? _similarFor;
    private PlaylistSaver? _playlist;

    protected override async Task OnParametersSetAsync()
    {
        _state = PageState.Loading;
        _user = (await AuthState.GetAuthenticationStateAsync()).User;
        _userId = ListenerUser.IdOf(_user);
        if (_userId is null)
        {
            _state = PageState.SignedOut;
            return;
        }

        try
        {
            _useRecsModel = await Store.GetUseRecsModelAsync(_userId);
            var result = await Library.GetClusteringAsync(_userId, _useRecsModel, _cts.Token);
            if (result.Status != LibraryStatus.Ready)
            {
                _state = result.Status == LibraryStatus.NoLibrary ? PageState.NoLibrary : PageState.NoModel;
                return;
            }

            var cluster = result.Clustering!.FindCluster(Id);
            if (cluster is null)
            {
                _state = PageState.NotFound;
                return;
            }

            _name = cluster.Name;
            _size = cluster.Tracks.Count;
            _filtered = _size;
            _state = PageState.Ready;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _error = e.Message;
            _state = PageState.Error;
        }
    }

    private void SetQuery(TrackQuery query)
    {
        if (query == _query)
        {
            return;
        }

        _query = query;
        _playlist?.ClearResult();
    }

    private void SetSorts(TrackSorts sorts) => SetQuery(_query with { Sort = sorts });

    private void OnFilteredCount(int count) => _filtered = count;

    private void ShowSimilar(TrackRow track) => _similarFor = track;

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
