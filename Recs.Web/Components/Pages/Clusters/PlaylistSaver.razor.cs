using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Recs.Core.Spotify;
using Recs.Web.Authentication;
using Recs.Web.Libraries;

namespace Recs.Web.Components.Pages.Clusters;

/// <summary>
/// "Save as a new private playlist" for the cluster or its filtered view. Where saving is impossible (the demo
/// listener has no Spotify account) the button stays, disabled, with the reason beside it.
/// </summary>
public sealed partial class PlaylistSaver : IDisposable
{
    /// <summary>Why the demo listener cannot save a playlist.</summary>
    public const string DemoReason = "Saving a playlist needs a Spotify sign-in: the demo has no Spotify account. Export the cluster as CSV instead.";

    [Inject] private LibraryService Library { get; set; } = default!;

    [Inject] private IListenerSpotify Spotify { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter, EditorRequired] public int ClusterId { get; set; }

    [Parameter, EditorRequired] public string? ClusterName { get; set; }

    [Parameter, EditorRequired] public TrackQuery Query { get; set; } = new();

    [Parameter] public bool UseRecsModel { get; set; } = true;

    [Parameter, EditorRequired] public ClaimsPrincipal? User { get; set; }

    private readonly CancellationTokenSource _cts = new();
    private string? _unavailableReason;
    private string? _name;
    private bool _saving;
    private string? _message;
    private string? _url;
    private Severity _severity;

    protected override void OnParametersSet()
    {
        _unavailableReason = User is null ? "Sign in with Spotify to save playlists." : User.IsDemo() ? DemoReason : null;
        _name ??= ClusterName is null ? null : $"Recs · {ClusterName}";
    }

    /// <summary>Forgets the last result (the view it described has changed).</summary>
    public void ClearResult()
    {
        _message = null;
        _url = null;
        StateHasChanged();
    }

    private async Task SaveAsync()
    {
        if (User is null || ListenerUser.IdOf(User) is not { } userId || string.IsNullOrWhiteSpace(_name))
        {
            return;
        }

        _saving = true;
        _message = null;
        _url = null;
        try
        {
            var result = await Library.GetClusteringAsync(userId, UseRecsModel, _cts.Token);
            var rows = result.Clustering is { } c ? LibraryService.FilteredRows(c, ClusterId, Query) : null;
            if (rows is null || rows.Count == 0)
            {
                _severity = Severity.Warning;
                _message = "No track to save.";
                return;
            }

            var name = _name.Trim();
            var saved = await Spotify.CreatePlaylistAsync(User, name, $"Made by Recs from the cluster “{ClusterName}”.",
                rows.Select(r => r.Id).ToList(), _cts.Token);
            _severity = Severity.Success;
            _url = saved.Url;
            _message = $"Saved “{name}” with {saved.Added:N0} tracks"
                + (saved.SkippedLocal > 0 ? $"; {saved.SkippedLocal:N0} local files were skipped (Spotify cannot add them)." : ".");
        }
        catch (SpotifySignInRequiredException)
        {
            Navigation.NavigateTo(AuthenticationPaths.SignInExpired($"/clusters/{ClusterId}"), forceLoad: true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _severity = Severity.Error;
            _message = $"The playlist could not be saved: {e.Message}";
        }
        finally
        {
            _saving = false;
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
