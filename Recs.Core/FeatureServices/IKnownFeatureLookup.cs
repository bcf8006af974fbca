namespace Recs.Core.FeatureServices;

/// <summary>
/// Real audio features for Spotify track ids: the database cache first (every catalog track, whatever its source),
/// then the configured features service (<see cref="FeatureServiceOptions"/>), whose answers are stored in the catalog
/// (source <c>service</c>) and whose misses are remembered. Only track ids leave the machine; nothing records who asked.
/// Thread-safe; never sleeps on a long throttle: ids it could not ask about are reported through
/// <see cref="KnownFeatureLookupResult.ThrottledUntil"/> and simply left out of <see cref="KnownFeatureLookupResult.Found"/>.
/// </summary>
public interface IKnownFeatureLookup
{
    /// <summary>Looks the ids up (duplicates and blanks ignored). Service failures are not thrown: they leave ids unfound.</summary>
    Task<KnownFeatureLookupResult> LookupAsync(IReadOnlyCollection<string> spotifyTrackIds, CancellationToken cancellationToken);

    /// <summary>
    /// The same for tracks whose metadata the caller holds (a library): ids of local files are skipped, and tracks the
    /// service answers join the catalog with their names, artists, album and genres (not only their features), so
    /// training can use them. Prefer this overload when the metadata is at hand.
    /// </summary>
    Task<KnownFeatureLookupResult> LookupTracksAsync(IReadOnlyCollection<TrackMetadata> tracks, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IKnownFeatureLookup.LookupAsync"/> found.</summary>
/// <param name="Found">Features by Spotify track id, for the ids whose real features are known.</param>
/// <param name="FromCache">Ids answered from the database (catalog tracks of any source).</param>
/// <param name="FromService">Ids answered by the features service during this call (now cached too).</param>
/// <param name="Misses">Distinct ids left without features: the service does not know them (now or remembered from an
/// earlier ask), the service is off (<c>none</c>), failed, or was throttled before it was asked about them.</param>
/// <param name="Requests">HTTP requests this call sent to the features service (retries included).</param>
/// <param name="ThrottledUntil">Set when the service asked Recs to wait longer than it waits inside a request: ids not
/// yet asked about stay unknown (not remembered as misses) and can be asked again after this time.</param>
public sealed record KnownFeatureLookupResult(
    IReadOnlyDictionary<string, AudioFeatures> Found,
    int FromCache,
    int FromService,
    int Misses,
    int Requests,
    DateTimeOffset? ThrottledUntil);
