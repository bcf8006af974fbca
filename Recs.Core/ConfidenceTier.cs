namespace Recs.Core;

/// <summary>How much a predicted track's features can be trusted, from what the prediction rests on.</summary>
public enum ConfidenceTier
{
    /// <summary>The track's main artist has tracks in the catalog.</summary>
    ArtistKnown,

    /// <summary>The artist is unknown but its genres are.</summary>
    GenresOnly,

    /// <summary>Neither artist nor genres are known: only popularity, year, duration and title words.</summary>
    Nothing,
}
