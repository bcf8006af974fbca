namespace Recs.Core.RealFeatures;

/// <summary>A library with each track once, and how many rows were folded into an earlier one.</summary>
public sealed record MergedLibrary(IReadOnlyList<TrackMetadata> Tracks, int DuplicatesMerged);

/// <summary>
/// Merges the rows of one track in a library: exports that concatenate playlists list a track once per playlist,
/// yet the listener owns it once (a 10,000-row file with 9,117 distinct tracks is a 9,117-track library).
/// Rows are the same track when they share a Spotify id; local files (no id) are never merged, since two of them may
/// well be different recordings with the same tags. The first row wins and keeps its position; a later row only fills
/// what the first lacks (its audio features, popularity, genres, year, duration, explicit flag, album, artist ids).
/// </summary>
public static class LibraryDuplicates
{
    /// <summary>Merges duplicate rows; returns the input list itself when it has none.</summary>
    public static MergedLibrary Merge(IReadOnlyList<TrackMetadata> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var firstIndex = new Dictionary<string, int>(tracks.Count, StringComparer.Ordinal);
        List<TrackMetadata>? merged = null;
        for (var i = 0; i < tracks.Count; i++)
        {
            var t = tracks[i];
            if (string.IsNullOrEmpty(t.Id) || t.IsLocal)
            {
                merged?.Add(t);
                continue;
            }

            if (!firstIndex.TryGetValue(t.Id, out var at))
            {
                merged?.Add(t);
                firstIndex[t.Id] = merged?.Count - 1 ?? i;
                continue;
            }

            // First duplicate: copy what came before, then fold this row into its first occurrence.
            merged ??= new List<TrackMetadata>(tracks.Take(i));
            merged[at] = Fill(merged[at], t);
        }

        return merged is null ? new MergedLibrary(tracks, 0) : new MergedLibrary(merged, tracks.Count - merged.Count);
    }

    private static TrackMetadata Fill(TrackMetadata first, TrackMetadata later) => first with
    {
        KnownFeatures = first.KnownFeatures ?? later.KnownFeatures,
        Popularity = first.Popularity ?? later.Popularity,
        Genres = first.Genres.Count > 0 ? first.Genres : later.Genres,
        ReleaseYear = first.ReleaseYear ?? later.ReleaseYear,
        DurationMs = first.DurationMs ?? later.DurationMs,
        Explicit = first.Explicit ?? later.Explicit,
        Album = string.IsNullOrEmpty(first.Album) ? later.Album : first.Album,
        ArtistIds = first.ArtistIds.Count > 0 ? first.ArtistIds : later.ArtistIds,
    };
}
