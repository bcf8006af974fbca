using Recs.Core.Catalog;

namespace Recs.Core.Demo;

/// <summary>
/// Generates a demo listener library from a <see cref="DemoCatalog"/>: a realistic mix for the demo sign-in —
/// tracks in the catalog (by id, and a few other releases found only by artist + title), new tracks by catalog
/// artists, tracks by artists the catalog does not know (with genres), a couple with no genres or popularity, and a
/// local file. New tracks carry their true features as <see cref="TrackMetadata.KnownFeatures"/> (drawn by the same
/// rules as the catalog), so the demo can also be evaluated. Deterministic for a seed.
/// </summary>
public static class DemoLibraryGenerator
{
    /// <summary>Default number of library tracks.</summary>
    public const int DefaultSize = 600;

    /// <summary>Generates <paramref name="size"/> tracks (at least 10).</summary>
    public static IReadOnlyList<TrackMetadata> Generate(DemoCatalog catalog, int size = DefaultSize, int seed = 7)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 10);
        if (catalog.Tracks.Count == 0 || catalog.Profiles.Count == 0)
        {
            throw new ArgumentException("the demo catalog is empty", nameof(catalog));
        }

        var random = new Random(seed);
        var names = new DemoNames(random, catalog.Profiles.Select(p => TextKeys.Normalize(p.Name)));
        var ids = new HashSet<string>(catalog.Tracks.Select(t => t.Id), StringComparer.Ordinal);
        var library = new List<TrackMetadata>(size);
        var byId = (int)(size * 0.12);
        var byArtistTitle = Math.Max(1, (int)(size * 0.04));
        var knownArtists = (int)(size * 0.55);
        const int nothing = 2;
        const int local = 1;
        var unknownArtists = size - byId - byArtistTitle - knownArtists - nothing - local;

        foreach (var track in Sample(catalog.Tracks, byId + byArtistTitle, random).Select(FromCatalog))
        {
            // The first ones are the catalog's own ids; the rest are "another release": same artist and title, new id.
            library.Add(library.Count < byId ? track : track with { Id = DemoCatalogGenerator.NewId(random, ids), Album = track.Album + " (Deluxe)" });
        }

        var catalogTitles = catalog.Tracks.Select(t => (t.PrimaryArtistKey, t.TitleKey)).ToHashSet();
        for (var i = 0; i < knownArtists; i++)
        {
            var artist = catalog.Profiles[random.Next(catalog.Profiles.Count)];
            var artistKey = TextKeys.Normalize(artist.Name);
            DemoTrackDraft draft;
            do
            {
                // A new track: never a title the artist already has in the catalog (that would be a catalog match).
                draft = DemoCatalogGenerator.DrawTrack(random, names, artist, null);
            }
            while (catalogTitles.Contains((artistKey, TextKeys.Title(draft.Title))));

            library.Add(FromDraft(draft, artist, DemoCatalogGenerator.NewId(random, ids), popularity: true));
        }

        for (var i = 0; i < unknownArtists; i++)
        {
            var artist = NewArtistWithGenres(random, names, ids);
            library.Add(FromDraft(DemoCatalogGenerator.DrawTrack(random, names, artist, null), artist, DemoCatalogGenerator.NewId(random, ids), popularity: true));
        }

        for (var i = 0; i < nothing; i++)
        {
            // Development Mode and an artist without genres: only the name, year, duration and title words are known.
            var artist = DemoCatalogGenerator.NewArtist(random, names, ids) with { Genres = [] };
            library.Add(FromDraft(DemoCatalogGenerator.DrawTrack(random, names, artist, null), artist, DemoCatalogGenerator.NewId(random, ids), popularity: false));
        }

        var recording = DemoCatalogGenerator.DrawTrack(random, names, NewArtistWithGenres(random, names, ids), null);
        library.Add(new TrackMetadata
        {
            Id = null,
            IsLocal = true,
            Name = "Voice Memo " + recording.Title,
            Artists = ["Me"],
            DurationMs = recording.DurationMs,
        });

        // Interleave the kinds as a real library would (order of saving, not of kind).
        return library.OrderBy(_ => random.Next()).ToList();
    }

    /// <summary>The library entry of a catalog track (its metadata, with its true features as known features).</summary>
    public static TrackMetadata FromCatalog(CatalogTrack track) => new()
    {
        Id = track.Id,
        Name = track.Name,
        Artists = track.Artists.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        ArtistIds = track.ArtistIds?.Split(';', StringSplitOptions.RemoveEmptyEntries) ?? [],
        Album = track.AlbumName,
        ReleaseYear = track.ReleaseYear,
        DurationMs = track.DurationMs,
        Explicit = track.Explicit,
        Popularity = track.Popularity,
        Genres = track.ArtistGenres?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
        KnownFeatures = track.Features,
    };

    private static DemoArtist NewArtistWithGenres(Random random, DemoNames names, HashSet<string> ids)
    {
        var artist = DemoCatalogGenerator.NewArtist(random, names, ids);
        return artist.Genres.Count > 0 ? artist : artist with { Genres = [DemoGenres.All[artist.Genre].SpotifyGenres[0]] };
    }

    private static TrackMetadata FromDraft(DemoTrackDraft d, DemoArtist artist, string id, bool popularity) => new()
    {
        Id = id,
        Name = d.Title,
        Artists = [artist.Name],
        ArtistIds = [artist.SpotifyId],
        Album = d.Album,
        ReleaseYear = d.Year,
        DurationMs = d.DurationMs,
        Explicit = d.Explicit,
        Popularity = popularity ? d.Popularity : null,
        Genres = artist.Genres,
        KnownFeatures = d.Features,
    };

    private static IEnumerable<CatalogTrack> Sample(IReadOnlyList<CatalogTrack> tracks, int count, Random random)
    {
        var chosen = new HashSet<int>();
        var titles = new HashSet<(string, string)>();
        while (chosen.Count < Math.Min(count, tracks.Count))
        {
            var i = random.Next(tracks.Count);
            // Skip artist + title duplicates so the "other release" tracks match exactly one catalog track.
            if (chosen.Contains(i) || !titles.Add((tracks[i].PrimaryArtistKey, tracks[i].TitleKey)))
            {
                continue;
            }

            chosen.Add(i);
            yield return tracks[i];
        }
    }
}
