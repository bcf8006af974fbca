using Recs.Core.Catalog;

namespace Recs.Core.Prediction.Featurization;

/// <summary>
/// The words of a track's title and album name as the text statistics count them (built by
/// <see cref="FeatureStatisticsBuilder"/>, read by <see cref="MetadataFeaturizer"/>).
/// </summary>
public static class TextWords
{
    /// <summary>Shorter title and album words ("a", "i", "2") say nothing about a sound.</summary>
    public const int MinLength = 2;

    /// <summary>Adds the distinct normalised words (two letters or more) of a track's title and album name.</summary>
    public static void Add(TrackMetadata track, HashSet<string> words)
    {
        foreach (var text in (ReadOnlySpan<string?>)[track.Name, track.Album])
        {
            var normalized = TextKeys.Normalize(text);
            foreach (var range in normalized.AsSpan().Split(' '))
            {
                if (range.End.Value - range.Start.Value >= MinLength)
                {
                    words.Add(normalized[range]);
                }
            }
        }
    }
}
