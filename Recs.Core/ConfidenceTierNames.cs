namespace Recs.Core;

/// <summary>The one spelling of a <see cref="ConfidenceTier"/> in JSON, CSV and metrics (snake_case).</summary>
public static class ConfidenceTierNames
{
    public static string SnakeName(this ConfidenceTier tier) => tier switch
    {
        ConfidenceTier.ArtistKnown => "artist_known",
        ConfidenceTier.GenresOnly => "genres_only",
        _ => "nothing",
    };
}
