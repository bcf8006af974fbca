namespace Recs.Core.Prediction.Featurization;

/// <summary>
/// A catalog track as the metadata model sees it: the metadata a library track would carry, its true features,
/// and the catalog-only genre labels (Kaggle <c>track_genre</c>, TidyTuesday playlist genres).
/// </summary>
/// <param name="Metadata">What a library export or Spotify would give for the track.</param>
/// <param name="Features">The true audio features (a tempo of 0 means "not detected").</param>
/// <param name="CatalogGenres">Genre labels known only to the catalog; used when the artist has no Spotify genres.</param>
public sealed record TrainingExample(TrackMetadata Metadata, AudioFeatures Features, IReadOnlyList<string> CatalogGenres);

/// <summary>
/// An artist of the artist → genres table (<c>import-artist-genres</c>): its Spotify genres and, when the table
/// has them, the mean audio features of its tracks and how many tracks that mean rests on.
/// </summary>
/// <param name="Name">Artist name as the table gives it.</param>
/// <param name="Genres">Spotify genres, possibly empty.</param>
/// <param name="Mean">Mean features of the artist's tracks, when known.</param>
/// <param name="Count">Tracks behind <paramref name="Mean"/>.</param>
public sealed record ArtistProfile(string Name, IReadOnlyList<string> Genres, AudioFeatures? Mean, int Count);

/// <summary>What the metadata model learns from: catalog tracks plus the optional artist table.</summary>
public sealed record TrainingData(IReadOnlyList<TrainingExample> Examples, IReadOnlyList<ArtistProfile> Artists)
{
    /// <summary>True when the catalog is synthetic demo data.</summary>
    public bool IsDemo { get; init; }
}
