using Recs.Core;

namespace Recs.Tests.TestSupport.Listener;

/// <summary>Small synthetic libraries for listener tests.</summary>
public static class LibraryBuilder
{
    /// <summary>
    /// <paramref name="catalog"/> tracks with known features (tempo 70 + 7·i mod 120) followed by
    /// <paramref name="predicted"/> tracks without, and <paramref name="local"/> local files.
    /// </summary>
    public static List<TrackMetadata> Tracks(int catalog, int predicted = 0, int local = 0)
    {
        var tracks = new List<TrackMetadata>();
        for (var i = 0; i < catalog; i++)
        {
            tracks.Add(new TrackMetadata
            {
                Id = $"cat{i:D19}",
                Name = $"Catalog song {i}",
                Artists = [$"Artist {i % 5}", "Guest"],
                Genres = ["pop", "dance pop"],
                DurationMs = 180_000 + i,
                KnownFeatures = new AudioFeatures(70 + (7 * i % 120), (i % 10) / 10.0, 0.6, 0.5, -6 - (i % 8)),
            });
        }

        for (var i = 0; i < predicted; i++)
        {
            tracks.Add(new TrackMetadata
            {
                Id = $"new{i:D19}",
                Name = $"New song {i}",
                Artists = [$"Unknown {i}"],
                Genres = i % 2 == 0 ? ["indie"] : [],
                DurationMs = 150_000 + 13_000 * i,
            });
        }

        for (var i = 0; i < local; i++)
        {
            tracks.Add(new TrackMetadata { Name = $"Local file {i}", Artists = ["Me"], IsLocal = true, DurationMs = 200_000 });
        }

        return tracks;
    }
}
