namespace Recs.Core.Prediction;

/// <summary>Predicted audio features of one track and how much they can be trusted.</summary>
public sealed record FeaturePrediction(AudioFeatures Features, ConfidenceTier Tier);

/// <summary>
/// Predicts audio features from metadata (the original design's <c>predict_audio_features_from_metadata</c>).
/// Thread-safe; a track gets the same prediction alone or in a batch.
/// </summary>
public interface IAudioFeaturePredictor
{
    /// <summary>Predicts every track of the batch, in order.</summary>
    IReadOnlyList<FeaturePrediction> Predict(IReadOnlyList<TrackMetadata> tracks);
}
