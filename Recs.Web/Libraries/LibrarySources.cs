using System.Security.Claims;
using Microsoft.Extensions.Options;
using Recs.Core;
using Recs.Core.FeatureServices;
using Recs.Core.Libraries;
using Recs.Core.RealFeatures;
using Recs.Core.Spotify;

namespace Recs.Web.Libraries;

/// <summary>An upload read and stored: the stored library, rows read, and the rejected rows with their lines.</summary>
public sealed record UploadOutcome(UserLibrarySummary Library, int RowsRead, IReadOnlyList<RowError> Errors)
{
    /// <summary>Rows folded into an earlier row of the same track (one track listed in several playlists).</summary>
    public int DuplicatesMerged { get; init; }

    /// <summary>The features lookup for rows without features (null when every row carried its own).</summary>
    public KnownFeatureLookupResult? FeatureLookup { get; init; }

    /// <summary>What the file's features added to the catalog (null when no row carried features).</summary>
    public CatalogContributionResult? Contributed { get; init; }
}

/// <summary>
/// Where a listener's library comes from — Spotify, an uploaded export, or the demo — each stored per user so a
/// reload does not fetch again.
/// </summary>
public sealed class LibrarySources(
    UserLibraryStore store,
    IListenerSpotify spotify,
    IDemoLibrarySource demo,
    IKnownFeatureLookup featureLookup,
    CatalogContributions contributions,
    IOptions<ListenerOptions> options,
    ILogger<LibrarySources> logger)
{
    /// <summary>Largest accepted upload, in bytes.</summary>
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    /// <summary>
    /// Reads an uploaded export (Exportify CSV and its variants) and stores its good rows as the user's library.
    /// </summary>
    /// <exception cref="LibraryFormatException">Not a library export, too large, or no good row at all (nothing is replaced).</exception>
    public async Task<UploadOutcome> UploadAsync(string userId, Stream stream, string fileName, CancellationToken cancellationToken)
    {
        var read = await LibraryFileReader.ReadAsync(stream, fileName, new LibraryReadOptions { MaxBytes = MaxUploadBytes }, cancellationToken);
        if (read.Tracks.Count == 0)
        {
            var first = read.Errors.Count > 0 ? $" First problem: line {read.Errors[0].Line}: {read.Errors[0].Message}" : "";
            throw new LibraryFormatException($"{fileName} holds no usable track ({read.RowsRead} rows read); your stored library was kept.{first}");
        }

        // A track listed in several playlists of one export is one track of the library.
        var merged = LibraryDuplicates.Merge(read.Tracks);
        var summary = await store.SaveAsync(userId, LibrarySource.Upload, merged.Tracks, read.Errors.Count, fileName, cancellationToken);
        logger.LogInformation("Stored an uploaded library for {User}: {Tracks} tracks ({Merged} repeated rows merged), {Rejected} rows rejected",
            userId, merged.Tracks.Count, merged.DuplicatesMerged, read.Errors.Count);
        // The file's real features join the catalog (source "file", unless an admin turned that off; nothing records
        // who contributed), then the rows without features are looked up.
        CatalogContributionResult? contributed = null;
        if (merged.Tracks.Any(t => t.KnownFeatures is not null))
        {
            contributed = await contributions.ContributeUploadAsync(merged.Tracks, cancellationToken);
        }

        var lookup = await LookUpFeaturesAsync(merged.Tracks, cancellationToken);
        return new UploadOutcome(summary, read.RowsRead, read.Errors)
        {
            DuplicatesMerged = merged.DuplicatesMerged,
            FeatureLookup = lookup,
            Contributed = contributed,
        };
    }

    /// <summary>Fetches the signed-in user's saved tracks from Spotify and stores them.</summary>
    public async Task<UserLibrarySummary> FetchFromSpotifyAsync(ClaimsPrincipal user, IProgress<LibraryFetchProgress>? progress, CancellationToken cancellationToken)
    {
        var userId = ListenerUser.IdOf(user) ?? throw new InvalidOperationException("Sign in first.");
        var tracks = await spotify.FetchLibraryAsync(user, progress, cancellationToken);
        var summary = await store.SaveAsync(userId, LibrarySource.Spotify, tracks, cancellationToken: cancellationToken);
        await LookUpFeaturesAsync(tracks, cancellationToken);
        return summary;
    }

    /// <summary>
    /// Asks for the real features of the tracks that carry none (docs/contracts.md §Pipeline item 7: the catalog, then the features service),
    /// right when the library arrives, so the service is asked once here and clustering reads the cached answers.
    /// Only Spotify track ids are sent, never who the listener is. Null when every track carries its own features.
    /// </summary>
    private async Task<KnownFeatureLookupResult?> LookUpFeaturesAsync(IReadOnlyList<TrackMetadata> tracks, CancellationToken cancellationToken)
    {
        var without = tracks.Where(t => t.KnownFeatures is null && !t.IsLocal && !string.IsNullOrEmpty(t.Id)).ToList();
        if (without.Count == 0)
        {
            return null;
        }

        var result = await featureLookup.LookupTracksAsync(without, cancellationToken);
        logger.LogInformation("Features lookup for {Count} library tracks: {Cached} known in the catalog, {Service} from the features service ({Requests} requests), {Misses} unknown",
            without.Count, result.FromCache, result.FromService, result.Requests, result.Misses);
        return result;
    }

    /// <summary>Generates and stores the demo library; null when this Recs has no demo catalog.</summary>
    public async Task<UserLibrarySummary?> LoadDemoAsync(string userId, CancellationToken cancellationToken)
    {
        var tracks = await demo.GenerateAsync(cancellationToken);

        // The demo stands for a Spotify library, which carries no audio features of its own: it shows the catalog,
        // the check set and predictions at work rather than a file's features.
        return tracks is null ? null : await store.SaveAsync(userId, LibrarySource.Demo, tracks.Select(t => t with { KnownFeatures = null }).ToList(), cancellationToken: cancellationToken);
    }
}
