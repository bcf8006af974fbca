using Recs.Core.Catalog;
using Recs.Core.Libraries;

namespace Recs.Core.FeatureServices;

/// <summary>
/// One track's features as a features service gives them: Spotify's twelve audio features (Spotify's definitions; a
/// service that gives no time signature, like ReccoBeats, leaves it 0 = unknown) and the duration when the service
/// gives one.
/// </summary>
public sealed record ServiceAudioFeatures(string SpotifyId, SpotifyAudioFeatures All, int? DurationMs)
{
    /// <summary>The five clustered features.</summary>
    public AudioFeatures Features => All.Clustered;

    /// <summary>Null when every value is within the catalog's ranges (<see cref="FeatureRanges"/>), else the first reason it is not.</summary>
    public string? Problem() => FeatureRanges.Problem(All) ?? (DurationMs is { } d ? FeatureRanges.Check("duration_ms", d) : null);
}
