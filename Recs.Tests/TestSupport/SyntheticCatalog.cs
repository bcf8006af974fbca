using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Prediction;
using Recs.Core.Prediction.Featurization;
using Recs.Core.Prediction.Training;

namespace Recs.Tests.TestSupport;

/// <summary>
/// Synthetic catalogs with a known relationship between metadata and features: each genre sets a base sound, each
/// artist adds its own offset, popularity raises energy and loudness, later release years are louder, "live" and
/// "acoustic" in a title shift energy. A model that learns anything recovers most of it.
/// </summary>
public static class SyntheticCatalog
{
    public static readonly string[] Genres = ["metal", "classical", "dance pop", "hip hop", "folk", "techno", "jazz", "indie rock"];

    /// <summary>Tracks of <paramref name="artists"/> artists with 1–8 tracks each.</summary>
    public static List<TrainingExample> Examples(int artists, int seed = 1)
    {
        var random = new Random(seed);
        var list = new List<TrainingExample>();
        for (var a = 0; a < artists; a++)
        {
            var genre = a % Genres.Length;
            var offset = (random.NextDouble() - 0.5) * 0.2;
            var tracks = 1 + random.Next(8);
            for (var t = 0; t < tracks; t++)
            {
                var popularity = random.Next(100);
                var year = 1970 + random.Next(55);
                var live = random.Next(8) == 0;
                var acoustic = !live && random.Next(8) == 0;
                var noise = (random.NextDouble() - 0.5) * 0.1;
                var energy = Math.Clamp(0.1 + (0.1 * genre) + offset + (0.002 * popularity) + (live ? 0.1 : 0) - (acoustic ? 0.2 : 0) + noise, 0, 1);
                var dance = Math.Clamp(0.8 - (0.06 * genre) + offset + noise, 0, 1);
                var valence = Math.Clamp(0.3 + (0.05 * ((genre * 3) % 8)) - offset + noise, 0, 1);
                var loudness = Math.Clamp(-22 + (18 * energy) + ((year - 1970) * 0.05) + (noise * 10), -60, 5);
                var tempo = 70 + (12 * genre) + (offset * 50) + (noise * 40);
                var name = live ? $"Song {t} - Live" : acoustic ? $"Song {t} (Acoustic)" : $"Song {t}";
                var metadata = new TrackMetadata
                {
                    Id = $"syn{a:D5}x{t:D2}",
                    Name = name,
                    Artists = [$"Artist {a}"],
                    Popularity = popularity,
                    ReleaseYear = year,
                    DurationMs = 150_000 + random.Next(150_000),
                    Explicit = random.Next(10) == 0,
                    Genres = [Genres[genre]],
                };
                list.Add(new TrainingExample(metadata, new AudioFeatures(tempo, energy, dance, valence, loudness), [Genres[genre]]));
            }
        }

        return list;
    }

    /// <summary>The examples as catalog rows (Spotify genres on the track, as an enriched catalog has them).</summary>
    public static List<CatalogTrack> Tracks(IEnumerable<TrainingExample> examples) => examples.Select(e => new CatalogTrack
    {
        Id = e.Metadata.Id!,
        Name = e.Metadata.Name,
        Artists = string.Join(';', e.Metadata.Artists),
        PrimaryArtistKey = TextKeys.Normalize(e.Metadata.PrimaryArtist),
        TitleKey = TextKeys.Title(e.Metadata.Name),
        Popularity = e.Metadata.Popularity,
        DurationMs = e.Metadata.DurationMs ?? 0,
        Explicit = e.Metadata.Explicit,
        ReleaseYear = e.Metadata.ReleaseYear,
        Tempo = e.Features.Tempo,
        Energy = e.Features.Energy,
        Danceability = e.Features.Danceability,
        Valence = e.Features.Valence,
        Loudness = e.Features.Loudness,
        TrackGenres = string.Join(';', e.CatalogGenres),
        ArtistGenres = string.Join(',', e.Metadata.Genres),
        Source = CatalogSources.Kaggle,
    }).ToList();

    /// <summary>Quick options for tests: few trees, few rows.</summary>
    public static MetadataTrainingOptions FastOptions => new() { Trees = 80, Leaves = 15, LearningRate = 0.1, MinExamplesPerLeaf = 10 };
}
