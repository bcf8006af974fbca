namespace Recs.Core.Libraries;

/// <summary>Where each field of a library export is, from its header (names matched trimmed and case-insensitively).</summary>
internal sealed class LibraryColumns
{
    /// <summary>Spotify's audio features in the order <see cref="Features"/> holds them (Kaggle's lower-case names).</summary>
    public static readonly string[] FeatureNames =
        ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness", "instrumentalness", "liveness", "valence", "tempo", "time_signature"];

    private static readonly string[] ClusteredFeatureNames = ["tempo", "energy", "danceability", "valence", "loudness"];

    private LibraryColumns(int count) => Count = count;

    public int Count { get; }
    public int? Id { get; private init; }
    public string IdName { get; private init; } = "Track URI";
    public int? Name { get; private init; }
    public int? Album { get; private init; }
    public int? Artists { get; private init; }
    public int? ArtistIds { get; private init; }
    public int? ReleaseDate { get; private init; }
    public string ReleaseDateName { get; private init; } = "Release Date";
    public int? Duration { get; private init; }
    public string DurationName { get; private init; } = "Duration (ms)";
    public int? Popularity { get; private init; }
    public int? Explicit { get; private init; }
    public int? Genres { get; private init; }
    public int? RecordLabel { get; private init; }

    /// <summary>Index of each of <see cref="FeatureNames"/>, or null when the column is absent.</summary>
    public int?[] Features { get; private init; } = new int?[FeatureNames.Length];

    public bool HasClusteredFeatures => ClusteredFeatureNames.All(n => Features[Array.IndexOf(FeatureNames, n)] is not null);

    /// <summary>The header's column name for a feature as Exportify writes it ("Time Signature").</summary>
    public static string DisplayName(string feature) => feature switch
    {
        "time_signature" => "Time Signature",
        _ => char.ToUpperInvariant(feature[0]) + feature[1..],
    };

    /// <summary>
    /// The columns of a library export, or null when the header has no track-id column. The Kaggle and TidyTuesday
    /// column names are known too, so those files can be clustered like a library.
    /// </summary>
    public static LibraryColumns? Find(IReadOnlyList<string> header)
    {
        var names = header.Select(Clean).ToArray();

        (int? Index, string Name) First(params string[] candidates)
        {
            foreach (var c in candidates)
            {
                var i = Array.FindIndex(names, n => string.Equals(n, c, StringComparison.OrdinalIgnoreCase));
                if (i >= 0)
                {
                    return (i, header[i].Trim());
                }
            }

            return (null, candidates[0]);
        }

        var id = First("Track URI", "Track ID", "Spotify ID", "Spotify URI", "URI", "track_id");
        if (id.Index is null)
        {
            return null;
        }

        var release = First("Release Date", "Album Release Date", "track_album_release_date");
        var duration = First("Duration (ms)", "Track Duration (ms)", "duration_ms");
        var features = FeatureNames.Select(f => First(DisplayName(f), f).Index).ToArray();
        return new LibraryColumns(header.Count)
        {
            Id = id.Index,
            IdName = id.Name,
            Name = First("Track Name", "Name", "track_name").Index,
            Album = First("Album Name", "Album", "album_name", "track_album_name").Index,
            Artists = First("Artist Name(s)", "Artist Names", "Artist Name", "Artists", "track_artist").Index,
            ArtistIds = First("Artist URI(s)", "Artist URIs", "Artist URI", "Artist IDs", "Artist ID(s)").Index,
            ReleaseDate = release.Index,
            ReleaseDateName = release.Name,
            Duration = duration.Index,
            DurationName = duration.Name,
            Popularity = First("Popularity", "track_popularity").Index,
            Explicit = First("Explicit").Index,
            Genres = First("Genres", "Artist Genres").Index,
            RecordLabel = First("Record Label", "Label").Index,
            Features = features,
        };
    }

    /// <summary>A header name without the BOM, tabs and spaces real exports pad it with.</summary>
    private static string Clean(string name) => name.Trim().Trim('\uFEFF').Trim();
}
