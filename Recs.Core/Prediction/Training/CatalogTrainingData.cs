using Microsoft.EntityFrameworkCore;
using Recs.Core.Catalog;
using Recs.Core.Persistence;
using Recs.Core.Prediction.Featurization;

namespace Recs.Core.Prediction.Training;

/// <summary>Reads what training needs from the database: catalog tracks with true features and the artist table.</summary>
public static class CatalogTrainingData
{
    /// <summary>Loads the whole catalog (read-only, no tracking) and every artist with genres or table means.</summary>
    public static async Task<(TrainingData Data, IReadOnlyList<CatalogTrack> Tracks)> LoadAsync(IDbContextFactory<RecsDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tracks = await db.CatalogTracks.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var artists = await db.Artists.AsNoTracking()
            .Where(a => a.Genres != "" || a.TableTrackCount != null)
            .OrderBy(a => a.NameKey)
            .ToListAsync(cancellationToken);
        var data = new TrainingData(tracks.Select(ToExample).ToList(), artists.Select(ToProfile).ToList())
        {
            IsDemo = tracks.Count > 0 && tracks.All(t => t.Source == CatalogSources.Demo),
        };
        return (data, tracks);
    }

    /// <summary>A catalog track as a training example: the metadata a library would carry, its features, its labels.</summary>
    public static TrainingExample ToExample(CatalogTrack t) => new(
        new TrackMetadata
        {
            Id = t.Id,
            Name = t.Name,
            Artists = t.Artists.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ArtistIds = t.ArtistIds?.Split(';', StringSplitOptions.RemoveEmptyEntries) ?? [],
            Album = t.AlbumName,
            ReleaseYear = t.ReleaseYear,
            DurationMs = t.DurationMs > 0 ? t.DurationMs : null,
            Explicit = t.Explicit,
            Popularity = t.Popularity,
            Genres = GenreTerms.Split(t.ArtistGenres),
        },
        t.Features,
        GenreTerms.Split(t.TrackGenres));

    /// <summary>An artist row as an artist-table profile.</summary>
    public static ArtistProfile ToProfile(Artist a) =>
        new(a.Name.Length > 0 ? a.Name : a.NameKey, GenreTerms.Split(a.Genres), a.TableFeatures, a.TableTrackCount ?? 0);
}
