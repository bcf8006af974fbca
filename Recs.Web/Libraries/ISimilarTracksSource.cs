using Recs.Core;

namespace Recs.Web.Libraries;

/// <summary>A catalog track that sounds like the one asked about, with its known features.</summary>
/// <param name="Distance">Distance in the model's scaled feature space (smaller is closer).</param>
public sealed record SimilarTrack(string Id, string Name, IReadOnlyList<string> Artists, AudioFeatures Features, double Distance);

/// <summary>Finds catalog tracks near a track's (known or predicted) features.</summary>
public interface ISimilarTracksSource
{
    /// <summary>
    /// The <paramref name="count"/> nearest catalog tracks to <paramref name="features"/>, leaving out
    /// <paramref name="excludeId"/>; null when similar tracks are not available (no active model).
    /// </summary>
    Task<IReadOnlyList<SimilarTrack>?> FindAsync(AudioFeatures features, string? excludeId, int count, CancellationToken cancellationToken);
}

