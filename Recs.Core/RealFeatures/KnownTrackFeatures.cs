namespace Recs.Core.RealFeatures;

/// <summary>
/// Real features of a track found outside the library file and the model's catalog: a catalog track added after the
/// model was trained, or a features service's answer (fresh or cached). Keyed by Spotify id where used.
/// </summary>
/// <param name="Features">The five features, in Spotify's units.</param>
/// <param name="Source"><see cref="FeatureSource.Catalog"/> or <see cref="FeatureSource.Service"/>.</param>
public readonly record struct KnownTrackFeatures(AudioFeatures Features, FeatureSource Source);
