using System.Security.Claims;
using Recs.Core;
using Recs.Core.Spotify;
using Recs.Web.Authentication;

namespace Recs.Web.Libraries;

/// <summary>A new playlist made from a cluster.</summary>
/// <param name="Url">Where to open it (Spotify's web player, or the API URI when Spotify gave no link).</param>
/// <param name="Added">Tracks added.</param>
/// <param name="SkippedLocal">Local files left out (they have no Spotify id).</param>
public sealed record PlaylistSaved(string PlaylistId, string Url, int Added, int SkippedLocal);

/// <summary>What the listener pages ask of Spotify for the signed-in user: their saved tracks, and new playlists.</summary>
public interface IListenerSpotify
{
    /// <summary>Reads every saved track of <paramref name="user"/> (with artist genres), reporting progress.</summary>
    Task<IReadOnlyList<TrackMetadata>> FetchLibraryAsync(ClaimsPrincipal user, IProgress<LibraryFetchProgress>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a NEW private playlist and adds <paramref name="trackIds"/> in batches of 100; existing playlists are
    /// never touched. Null or empty ids (local files) are skipped and counted.
    /// </summary>
    Task<PlaylistSaved> CreatePlaylistAsync(ClaimsPrincipal user, string name, string? description, IReadOnlyList<string?> trackIds, CancellationToken cancellationToken);
}

/// <summary>The real <see cref="IListenerSpotify"/>: the Spotify client with the signed-in user's stored tokens.</summary>
internal sealed class ListenerSpotify(SpotifyLibraryFetcher fetcher, SpotifyClientFactory clients, UserSpotifyTokenSources tokens) : IListenerSpotify
{
    public async Task<IReadOnlyList<TrackMetadata>> FetchLibraryAsync(ClaimsPrincipal user, IProgress<LibraryFetchProgress>? progress, CancellationToken cancellationToken)
    {
        var result = await fetcher.FetchAsync(tokens.For(user), progress, cancellationToken);
        return result.Tracks;
    }

    public async Task<PlaylistSaved> CreatePlaylistAsync(ClaimsPrincipal user, string name, string? description, IReadOnlyList<string?> trackIds, CancellationToken cancellationToken)
    {
        var client = clients.Create(tokens.For(user));
        var uris = trackIds.Where(id => !string.IsNullOrEmpty(id)).Select(id => "spotify:track:" + id).ToList();
        var playlist = await client.CreatePlaylistAsync(name, description, cancellationToken);
        if (uris.Count > 0)
        {
            await client.AddPlaylistItemsAsync(playlist.Id, uris, cancellationToken);
        }

        return new PlaylistSaved(playlist.Id, "https://open.spotify.com/playlist/" + Uri.EscapeDataString(playlist.Id), uris.Count, trackIds.Count - uris.Count);
    }

}
