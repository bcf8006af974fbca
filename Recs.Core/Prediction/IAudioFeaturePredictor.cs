namespace Recs.Core.Prediction;

/// <summary>Predicted audio features of one track and how much they can be trusted.</summary>
/// <param name="Features">The regressors' estimate (least squares: the best single guess of each feature; what is shown).</param>
/// <param name="Tier">What the prediction rests on.</param>
/// <param name="ClusterFeatures">
/// The estimate with the regressors' shrinkage towards the mean undone (see <see cref="SpreadCalibration"/>): used only
/// to pick the nearest cluster, where shrunken values would crowd the central clusters. Null means <paramref name="Features"/>.
/// </param>
public sealed record FeaturePrediction(AudioFeatures Features, ConfidenceTier Tier, AudioFeatures? ClusterFeatures = null)
{
    /// <summary>The features to assign a cluster with.</summary>
    public AudioFeatures ForClustering => ClusterFeatures ?? Features;
}

/// <summary>
/// Predicts audio features from metadata (the original design's <c>predict_audio_features_from_metadata</c>).
/// Thread-safe; a track gets the same prediction alone or in a batch.
/// </summary>
public interface IAudioFeaturePredictor
{
    /// <summary>Predicts every track of the batch, in order.</summary>
    IReadOnlyList<FeaturePrediction> Predict(IReadOnlyList<TrackMetadata> tracks);
}
