using Recs.Core;
using Recs.Core.Prediction;

namespace Recs.Tests.TestSupport;

/// <summary>
/// A test implementation of <see cref="IAudioFeaturePredictor"/>: a fixed feature vector per genre (first known genre
/// wins), a default otherwise. Counts its calls so tests can check that clustering predicts in one batch.
/// </summary>
public sealed class GenrePredictor(IReadOnlyDictionary<string, AudioFeatures> byGenre, AudioFeatures fallback) : IAudioFeaturePredictor
{
    private int _calls;

    public int Calls => _calls;

    public int TracksPredicted { get; private set; }

    public IReadOnlyList<FeaturePrediction> Predict(IReadOnlyList<TrackMetadata> tracks)
    {
        Interlocked.Increment(ref _calls);
        TracksPredicted += tracks.Count;
        var result = new FeaturePrediction[tracks.Count];
        for (var i = 0; i < tracks.Count; i++)
        {
            var genre = tracks[i].Genres.FirstOrDefault(byGenre.ContainsKey);
            result[i] = genre is null
                ? new FeaturePrediction(fallback, ConfidenceTier.Nothing)
                : new FeaturePrediction(byGenre[genre], ConfidenceTier.GenresOnly);
        }

        return result;
    }
}
