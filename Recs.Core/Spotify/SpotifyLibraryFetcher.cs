using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recs.Core.Persistence;

namespace Recs.Core.Spotify;

/// <summary>Progress of a library fetch: <paramref name="Done"/> of <paramref name="Total"/> in a phase ("tracks" or "artists").</summary>
public sealed record LibraryFetchProgress(string Phase, int Done, int Total);

/// <summary>
/// Where a fetch stands: the saved tracks read so far and the next page to read. Kept by the fetcher while it runs and
/// handed back in <see cref="LibraryFetchInterruptedException"/>, so a retry resumes from the last page.
/// </summary>
public sealed class LibraryFetchCheckpoint
{
    /// <summary>Next page URL; null before the first page and after the last.</summary>
    public string? Next { get; internal set; }

    /// <summary>True once every page is read.</summary>
    public bool TracksComplete { get; internal set; }

    /// <summary>Spotify's total saved tracks, from the first page.</summary>
    public int Total { get; internal set; }

    /// <summary>Pages read so far.</summary>
    public int Pages { get; internal set; }

    internal List<SpotifyTrack> Tracks { get; } = [];

    /// <summary>Saved tracks read so far.</summary>
    public int Fetched => Tracks.Count;
}

/// <summary>A fetch stopped by an error after retries (5xx, quota, …); <see cref="Checkpoint"/> resumes it.</summary>
public sealed class LibraryFetchInterruptedException(LibraryFetchCheckpoint checkpoint, Exception inner)
    : Exception($"Library fetch stopped after {checkpoint.Fetched} of {checkpoint.Total} tracks: {inner.Message}", inner)
{
    public LibraryFetchCheckpoint Checkpoint { get; } = checkpoint;

    /// <summary>When the stop is a quota pause: when to resume.</summary>
    public DateTimeOffset? PausedUntil => (InnerException as SpotifyQuotaExceededException)?.PausedUntil;
}

/// <summary>A user's whole library as Recs' prediction input, with counts for the UI.</summary>
/// <param name="Tracks">One entry per saved track, local files included (<see cref="TrackMetadata.IsLocal"/>), in Spotify's order.</param>
/// <param name="Total">Spotify's total of saved tracks.</param>
/// <param name="LocalFiles">Local files among them (no id: cannot be looked up, kept and reported).</param>
/// <param name="Artists">Distinct artist ids in the library.</param>
/// <param name="ArtistsKnown">Artists already in the Artist table (no lookup made).</param>
/// <param name="ArtistsLookedUp">Artists fetched from Spotify (and stored in the Artist table).</param>
/// <param name="Mode">The app's Spotify mode as detected.</param>
/// <param name="Requests">Web API requests this fetch made (retries included).</param>
public sealed record LibraryFetchResult(
    IReadOnlyList<TrackMetadata> Tracks, int Total, int LocalFiles, int Artists, int ArtistsKnown, int ArtistsLookedUp, SpotifyMode Mode, int Requests);

/// <summary>
/// Fetches every saved track of a user (50 per page, following <c>next</c>), then looks up only the artists the
/// Artist table does not know yet (batches of 50 in Extended Quota, one by one in Development Mode) for their genres.
/// Storing the result per user is the caller's.
/// </summary>
public sealed class SpotifyLibraryFetcher(SpotifyClientFactory clients, IDbContextFactory<RecsDbContext> dbFactory, SpotifyRequestCounter counter,
    TimeProvider time, ILogger<SpotifyLibraryFetcher> logger)
{
    /// <summary>Ids per batch request, and artists stored per unit of work.</summary>
    private const int ArtistChunk = 50;

    /// <summary>
    /// Fetches the library of the user behind <paramref name="tokens"/>. Pass the checkpoint of a
    /// <see cref="LibraryFetchInterruptedException"/> as <paramref name="resumeFrom"/> to continue from the last page.
    /// </summary>
    public async Task<LibraryFetchResult> FetchAsync(ISpotifyAccessTokenSource tokens, IProgress<LibraryFetchProgress>? progress,
        CancellationToken cancellationToken, LibraryFetchCheckpoint? resumeFrom = null)
    {
        var client = clients.Create(tokens);
        var checkpoint = resumeFrom ?? new LibraryFetchCheckpoint();
        var requestsBefore = counter.ApiTotal;
        try
        {
            while (!checkpoint.TracksComplete)
            {
                var page = await client.GetSavedTracksPageAsync(checkpoint.Next, cancellationToken);
                checkpoint.Total = page.Total;
                checkpoint.Tracks.AddRange(page.Items.Select(i => i.Track).OfType<SpotifyTrack>());
                checkpoint.Pages++;
                checkpoint.Next = page.Next;
                checkpoint.TracksComplete = page.Next is null;
                progress?.Report(new LibraryFetchProgress("tracks", checkpoint.Fetched, page.Total));
            }

            var namesById = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var artist in checkpoint.Tracks.Where(t => !t.IsLocal).SelectMany(t => t.Artists ?? []))
            {
                if (artist.Id is { Length: > 0 } id)
                {
                    namesById.TryAdd(id, artist.Name ?? "");
                }
            }

            Dictionary<string, IReadOnlyList<string>> genres;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                genres = await SpotifyArtistStore.FindKnownAsync(db, namesById, cancellationToken);
            }

            var knownCount = genres.Count;
            var missing = namesById.Keys.Where(id => !genres.ContainsKey(id)).ToList();
            var lookedUp = 0;
            progress?.Report(new LibraryFetchProgress("artists", 0, missing.Count));
            // One request per chunk: 50 ids in Extended Quota, one in Development Mode. What was fetched is stored every
            // 50 artists and when the loop ends for any reason, so a quota pause keeps every artist already paid for.
            var buffer = new List<SpotifyArtist>();
            try
            {
                var i = 0;
                while (i < missing.Count)
                {
                    var size = client.Mode == SpotifyMode.Development ? 1 : ArtistChunk;
                    var chunk = missing.Skip(i).Take(size).ToList();
                    await client.GetArtistsAsync(chunk, cancellationToken, artist =>
                    {
                        buffer.Add(artist);
                        genres[artist.Id] = artist.Genres ?? [];
                    });

                    i += chunk.Count;
                    lookedUp += chunk.Count;
                    progress?.Report(new LibraryFetchProgress("artists", lookedUp, missing.Count));
                    if (buffer.Count >= ArtistChunk)
                    {
                        await StoreArtistsAsync(buffer, cancellationToken);
                    }
                }
            }
            finally
            {
                await StoreArtistsAsync(buffer, CancellationToken.None);
            }

            var tracks = checkpoint.Tracks.Select(t => ToMetadata(t, genres)).ToList();
            var result = new LibraryFetchResult(tracks, checkpoint.Total, tracks.Count(t => t.IsLocal), namesById.Count, knownCount, missing.Count,
                client.Mode, counter.ApiTotal - requestsBefore);
            logger.LogInformation("Fetched {Tracks} saved tracks ({Local} local files), looked up {LookedUp} of {Artists} artists ({Mode})",
                tracks.Count, result.LocalFiles, missing.Count, namesById.Count, client.Mode);
            return result;
        }
        catch (Exception ex) when (SpotifyExceptions.IsSpotifyFailure(ex))
        {
            throw new LibraryFetchInterruptedException(checkpoint, ex);
        }
    }

    private async Task StoreArtistsAsync(List<SpotifyArtist> artists, CancellationToken cancellationToken)
    {
        if (artists.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await SpotifyArtistStore.UpsertAsync(db, artists, time.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        artists.Clear();
    }

    /// <summary>A Spotify track as prediction input; genres are the union of its artists' genres, main artist first.</summary>
    public static TrackMetadata ToMetadata(SpotifyTrack track, IReadOnlyDictionary<string, IReadOnlyList<string>> genresByArtist)
    {
        var artists = track.Artists ?? [];
        return new TrackMetadata
        {
            Id = track.IsLocal ? null : track.Id,
            Name = track.Name ?? "",
            Artists = artists.Select(a => a.Name ?? "").ToList(),
            ArtistIds = artists.Where(a => a.Id is not null).Select(a => a.Id!).ToList(),
            Album = track.Album?.Name,
            ReleaseYear = track.ReleaseYear,
            DurationMs = track.DurationMs,
            Explicit = track.IsLocal ? null : track.Explicit,
            Popularity = track.IsLocal ? null : track.Popularity,
            Genres = artists.Where(a => a.Id is not null && genresByArtist.ContainsKey(a.Id))
                .SelectMany(a => genresByArtist[a.Id!]).Distinct(StringComparer.Ordinal).ToList(),
            IsLocal = track.IsLocal,
        };
    }
}
