using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recs.Core.Catalog;
using Recs.Core.Persistence;
using Recs.Core.Spotify;

namespace Recs.Core.Enrichment;

/// <summary>What to enrich and how fast.</summary>
public sealed record EnrichmentRequest
{
    /// <summary>Ids per track request in Extended Quota (1–50); Development Mode always asks one at a time.</summary>
    public int BatchSize { get; init; } = SpotifyClient.MaxBatchSize;

    /// <summary>Pause between requests, to stay clear of the rolling rate limit.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;

    /// <summary>At most this many not-yet-enriched tracks in this run (null: all).</summary>
    public int? Limit { get; init; }

    /// <summary>The job this run belongs to: stored on every track it enriches, so the job's limit counts what is stored.</summary>
    public Guid? JobId { get; init; }

    /// <summary>
    /// Ride out bursts of transient errors (wait and ask again, then pause with the reason) instead of failing: for a
    /// job that can pause and resume by itself. Off for the CLI, which fails clearly and is run again by its user.
    /// </summary>
    public bool RideOutTransientFailures { get; init; }
}

/// <summary>Progress after each stored chunk: <paramref name="Done"/> of <paramref name="Total"/> tracks of this run.</summary>
public sealed record EnrichmentProgress(int Done, int Total, int Fetched, int Failed, SpotifyMode Mode);

/// <summary>How a run ended.</summary>
/// <param name="Fetched">Tracks enriched in this run.</param>
/// <param name="Skipped">Catalog tracks already enriched before this run (not asked again).</param>
/// <param name="Failed">Tracks Spotify does not know (marked as tried, so they are not asked again).</param>
/// <param name="Remaining">Tracks still not enriched after this run (quota pause, limit).</param>
/// <param name="PausedUntil">Set when Spotify's quota stopped the run: resume at this time.</param>
/// <param name="Mode">The app's mode as detected.</param>
/// <param name="Requests">Web API requests made by this run (retries included).</param>
/// <param name="ArtistsLookedUp">Artists fetched from Spotify in this run (each serves every track by that artist).</param>
/// <param name="PauseReason">Why the run paused (Spotify's quota, or errors that kept coming after every retry), when it did.</param>
public sealed record EnrichmentOutcome(int Fetched, int Skipped, int Failed, int Remaining, DateTimeOffset? PausedUntil, SpotifyMode Mode, int Requests, int ArtistsLookedUp,
    string? PauseReason = null)
{
    public bool IsPaused => PausedUntil is not null;
}

/// <summary>
/// The original <c>enrich_kaggle_metadata</c> step (docs/contracts.md §Pipeline item 3): Spotify metadata for catalog tracks not enriched yet.
/// Each chunk (one batch in Extended Quota, one track in Development Mode) is stored in its own transaction with
/// <see cref="CatalogTrack.EnrichedAt"/> set, so a kill at any moment loses nothing stored and the next run asks only
/// for what is still missing. One artist lookup serves every track of that artist (the Artist table remembers it).
/// On <c>QUOTA_EXCEEDED</c> the run stops and returns <see cref="EnrichmentOutcome.PausedUntil"/>.
/// </summary>
/// <remarks>
/// Errors that retrying can fix (5xx, 408, a short 429, a network error or timeout) are retried by the HTTP resilience
/// handler first; when a burst outlasts those retries and <see cref="EnrichmentRequest.RideOutTransientFailures"/> is set
/// (the enrichment job), the run waits <see cref="SpotifyOptions.TransientFailureBackoff"/>
/// (doubling) and asks for the same chunk again, up to <see cref="SpotifyOptions.TransientFailureRetries"/> times, then
/// stops with a pause of <see cref="SpotifyOptions.TransientFailurePause"/> and the reason, so a job resumes by itself
/// later. Any other error (a 400, a refused token) ends the run: retrying cannot fix it.
/// </remarks>
public sealed class EnrichmentRunner(SpotifyClientFactory clients, IDbContextFactory<RecsDbContext> dbFactory, SpotifyRequestCounter counter,
    TimeProvider time, Microsoft.Extensions.Options.IOptions<SpotifyOptions> options, ILogger<EnrichmentRunner> logger)
{
    /// <summary>Runs with app-only (client credentials) tokens.</summary>
    /// <summary>How long a chunk under way may still take to be fetched and stored once the run is asked to stop.</summary>
    public static readonly TimeSpan ChunkStopGrace = TimeSpan.FromSeconds(10);

    public Task<EnrichmentOutcome> RunAsync(EnrichmentRequest request, IProgress<EnrichmentProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(clients.CreateAppOnly(), request, progress, cancellationToken);

    /// <summary>Runs with the given client (e.g. a user's tokens).</summary>
    public async Task<EnrichmentOutcome> RunAsync(SpotifyClient client, EnrichmentRequest request, IProgress<EnrichmentProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(request.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.BatchSize, SpotifyClient.MaxBatchSize);
        var requestsBefore = counter.ApiTotal;

        List<string> pending;
        int skipped;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            skipped = await db.CatalogTracks.CountAsync(t => t.EnrichedAt != null, cancellationToken);
            var query = db.CatalogTracks.AsNoTracking().Where(t => t.EnrichedAt == null).OrderBy(t => t.Id).Select(t => t.Id);
            pending = request.Limit is { } limit ? await query.Take(limit).ToListAsync(cancellationToken) : await query.ToListAsync(cancellationToken);
        }

        // Genres of artists seen in this run, so an artist is looked up at most once even when the table cannot keep it.
        var artistGenres = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        int fetched = 0, failed = 0, done = 0, artistsLookedUp = 0, failuresInARow = 0;
        DateTimeOffset? pausedUntil = null;
        string? pauseReason = null;
        logger.LogInformation("Enriching {Pending} catalog tracks ({Skipped} already enriched)", pending.Count, skipped);
        try
        {
            while (done < pending.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Until the mode is known, ask for one track: the batch call that detects the mode then costs at most one
                // extra request, and a Development Mode app never fetches 50 tracks one by one before its first save.
                var size = client.Mode == SpotifyMode.Extended ? request.BatchSize : 1;
                var chunk = pending.Skip(done).Take(size).ToList();
                var started = Stopwatch.GetTimestamp();

                // A chunk once asked for is stored before a cancel or shutdown takes effect (within ChunkStopGrace), so a
                // track Spotify has answered is never asked again by the run that resumes the job (ADR-112).
                using var chunkStop = new CancellationTokenSource();
                await using var stopAfterChunk = cancellationToken.Register(() => chunkStop.CancelAfter(ChunkStopGrace));
                var chunkToken = chunkStop.Token;
                IReadOnlyList<SpotifyTrack> tracks;
                Dictionary<string, SpotifyTrack> byId;
                List<SpotifyArtist> newArtists = [];
                try
                {
                    tracks = await client.GetTracksAsync(chunk, chunkToken);
                    byId = tracks.Where(t => t.Id is not null).ToDictionary(t => t.Id!, StringComparer.Ordinal);

                    var names = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var artist in tracks.SelectMany(t => t.Artists ?? []))
                    {
                        if (artist.Id is { Length: > 0 } id && !artistGenres.ContainsKey(id))
                        {
                            names.TryAdd(id, artist.Name ?? "");
                        }
                    }

                    if (names.Count > 0)
                    {
                        await using var db = await dbFactory.CreateDbContextAsync(chunkToken);
                        foreach (var (id, genres) in await SpotifyArtistStore.FindKnownAsync(db, names, chunkToken))
                        {
                            artistGenres[id] = genres;
                        }

                        var missing = names.Keys.Where(id => !artistGenres.ContainsKey(id)).ToList();
                        if (missing.Count > 0)
                        {
                            newArtists = (await client.GetArtistsAsync(missing, chunkToken)).ToList();
                            artistsLookedUp += missing.Count;
                            foreach (var artist in newArtists)
                            {
                                artistGenres[artist.Id] = artist.Genres ?? [];
                            }

                            // An id Spotify does not know has no genres; remember that too so it is not asked again.
                            foreach (var id in missing.Where(id => !artistGenres.ContainsKey(id)))
                            {
                                artistGenres[id] = [];
                            }
                        }
                    }
                }
                catch (Exception ex) when (request.RideOutTransientFailures && ex is not SpotifyQuotaExceededException && IsTransient(ex, cancellationToken))
                {
                    failuresInARow++;
                    var spotify = options.Value;
                    if (failuresInARow > spotify.TransientFailureRetries)
                    {
                        pausedUntil = time.GetUtcNow() + spotify.TransientFailurePause;
                        pauseReason = $"Spotify kept failing after {failuresInARow} attempts ({Describe(ex)}): paused until {pausedUntil.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC, then it resumes by itself";
                        logger.LogWarning(ex, "Enrichment paused until {Until:u}: {Reason}", pausedUntil, pauseReason);
                        break;
                    }

                    var backoff = spotify.TransientFailureBackoff * Math.Pow(2, failuresInARow - 1);
                    logger.LogWarning("Spotify failed past its retries ({Error}); asking again in {Seconds:0.#} s (attempt {Attempt} of {Attempts})",
                        Describe(ex), backoff.TotalSeconds, failuresInARow + 1, spotify.TransientFailureRetries + 1);
                    await Task.Delay(backoff, time, cancellationToken);
                    continue;
                }

                failuresInARow = 0;
                var (stored, notFound) = await StoreAsync(chunk, byId, newArtists, artistGenres, request.JobId, chunkToken);
                fetched += stored;
                failed += notFound;
                done += chunk.Count;
                progress?.Report(new EnrichmentProgress(done, pending.Count, fetched, failed, client.Mode));

                if (request.Delay > TimeSpan.Zero && done < pending.Count)
                {
                    var wait = request.Delay - Stopwatch.GetElapsedTime(started);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, time, cancellationToken);
                    }
                }
            }
        }
        catch (SpotifyQuotaExceededException ex)
        {
            // Never sleep for hours inside a request: stop here, everything stored so far stays, the caller resumes later.
            pausedUntil = ex.PausedUntil;
            pauseReason = ex.IsQuota
                ? $"Spotify's quota is used up: paused until {ex.PausedUntil.UtcDateTime:yyyy-MM-dd HH:mm} UTC, then it resumes by itself"
                : $"Spotify asked to wait {ex.RetryAfter.TotalSeconds:N0} s: paused until {ex.PausedUntil.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, then it resumes by itself";
            logger.LogWarning("Spotify quota reached after {Done} of {Total} tracks; paused until {Until:u}", done, pending.Count, ex.PausedUntil);
        }

        int remaining;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            remaining = await db.CatalogTracks.CountAsync(t => t.EnrichedAt == null, cancellationToken);
        }

        return new EnrichmentOutcome(fetched, skipped, failed, remaining, pausedUntil, client.Mode, counter.ApiTotal - requestsBefore, artistsLookedUp, pauseReason);
    }

    /// <summary>
    /// True for an error that asking again later can fix: Spotify's 5xx, 408 or 429, a network error, a timeout or an
    /// open circuit of the resilience pipeline. Not our own cancellation, not a 4xx that says the request is wrong.
    /// </summary>
    internal static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        SpotifyApiException api => api.Status is >= 500 or 408 or 429,
        HttpRequestException => true,
        Polly.ExecutionRejectedException => true,
        TimeoutException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static string Describe(Exception ex) => ex switch
    {
        SpotifyApiException api => $"{api.Status} from {api.Endpoint}",
        _ => ex.Message,
    };

    // One transaction per chunk: the tracks of the chunk and the artists their lookup brought.
    private async Task<(int Stored, int NotFound)> StoreAsync(List<string> chunk, Dictionary<string, SpotifyTrack> byId, List<SpotifyArtist> newArtists,
        Dictionary<string, IReadOnlyList<string>> artistGenres, Guid? jobId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await SpotifyArtistStore.UpsertAsync(db, newArtists, now, cancellationToken);
        var rows = await db.CatalogTracks.Where(t => chunk.Contains(t.Id) && t.EnrichedAt == null).ToListAsync(cancellationToken);
        int stored = 0, notFound = 0;
        foreach (var row in rows)
        {
            // A track Spotify does not know is marked as tried too (EnrichedAt without metadata): asking again would repeat work.
            row.EnrichedAt = now;
            row.EnrichedByJobId = jobId;
            if (!byId.TryGetValue(row.Id, out var track))
            {
                notFound++;
                continue;
            }

            Apply(row, track, artistGenres);
            stored++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return (stored, notFound);
    }

    /// <summary>Copies Spotify's metadata onto a catalog row; what Spotify leaves out (popularity in Development Mode) keeps its value.</summary>
    public static void Apply(CatalogTrack row, SpotifyTrack track, IReadOnlyDictionary<string, IReadOnlyList<string>> artistGenres)
    {
        var artists = track.Artists ?? [];
        row.ReleaseDate = track.Album?.ReleaseDate ?? row.ReleaseDate;
        row.ReleaseYear = track.ReleaseYear ?? row.ReleaseYear;
        var ids = artists.Where(a => a.Id is not null).Select(a => a.Id!).ToList();
        if (ids.Count > 0)
        {
            row.ArtistIds = string.Join(';', ids);
        }

        row.Explicit = track.Explicit ?? row.Explicit;
        if (track.DurationMs is > 0 and var duration)
        {
            row.DurationMs = duration;
        }

        row.Popularity = track.Popularity ?? row.Popularity;
        var genres = ids.Where(artistGenres.ContainsKey).SelectMany(id => artistGenres[id]).Distinct(StringComparer.Ordinal).ToList();
        if (genres.Count > 0)
        {
            row.ArtistGenres = string.Join(',', genres);
        }

        if (string.IsNullOrEmpty(row.Name) && track.Name is { Length: > 0 } name)
        {
            row.Name = name;
            row.TitleKey = TextKeys.Title(name);
        }

        if (string.IsNullOrEmpty(row.Artists) && artists.Count > 0)
        {
            row.Artists = string.Join(';', artists.Select(a => a.Name));
            row.PrimaryArtistKey = TextKeys.Normalize(artists[0].Name);
        }

        if (string.IsNullOrEmpty(row.AlbumName) && track.Album?.Name is { Length: > 0 } album)
        {
            row.AlbumName = album;
        }
    }
}
