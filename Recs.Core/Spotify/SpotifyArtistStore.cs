using Microsoft.EntityFrameworkCore;
using Recs.Core.Catalog;
using Recs.Core.Persistence;

namespace Recs.Core.Spotify;

/// <summary>What Recs already knows about artists (the <see cref="Artist"/> table), and storing what Spotify tells.</summary>
public static class SpotifyArtistStore
{
    /// <summary>Source value of artists looked up on Spotify.</summary>
    public const string Source = ArtistSources.Spotify;

    /// <summary>
    /// Genres of the artists already known, keyed by Spotify id: rows with that Spotify id, or, for ids without such a
    /// row, a row with the same normalised name that has genres (e.g. from the artist → genres table). An artist found
    /// here needs no lookup.
    /// </summary>
    public static async Task<Dictionary<string, IReadOnlyList<string>>> FindKnownAsync(RecsDbContext db,
        IReadOnlyDictionary<string, string> namesById, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var ids = namesById.Keys.ToList();
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await db.Artists.AsNoTracking().Where(a => a.SpotifyId != null && chunk.Contains(a.SpotifyId))
                .Select(a => new { a.SpotifyId, a.Genres }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                known[row.SpotifyId!] = SplitGenres(row.Genres);
            }
        }

        var byName = namesById.Where(p => !known.ContainsKey(p.Key)).GroupBy(p => TextKeys.Normalize(p.Value))
            .Where(g => g.Key.Length > 0).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToList());
        foreach (var chunk in byName.Keys.Chunk(500))
        {
            var rows = await db.Artists.AsNoTracking().Where(a => chunk.Contains(a.NameKey) && a.Genres != "")
                .Select(a => new { a.NameKey, a.Genres }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                foreach (var id in byName[row.NameKey])
                {
                    known[id] = SplitGenres(row.Genres);
                }
            }
        }

        return known;
    }

    /// <summary>
    /// Inserts or updates artists Spotify returned (Source "spotify"), in the caller's unit of work. A row with the
    /// same name and no Spotify id is claimed; Spotify's empty genres (Development Mode) never wipe genres already known.
    /// Another Spotify artist with the same normalised name keeps the row (names are the table's unique key).
    /// </summary>
    public static async Task UpsertAsync(RecsDbContext db, IReadOnlyCollection<SpotifyArtist> artists, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (artists.Count == 0)
        {
            return;
        }

        var ids = artists.Select(a => a.Id).ToList();
        var keys = artists.Select(a => TextKeys.Normalize(a.Name)).Where(k => k.Length > 0).Distinct().ToList();
        var rows = await db.Artists.Where(a => (a.SpotifyId != null && ids.Contains(a.SpotifyId)) || keys.Contains(a.NameKey)).ToListAsync(cancellationToken);
        var bySpotifyId = rows.Where(r => r.SpotifyId is not null).GroupBy(r => r.SpotifyId!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var byKey = rows.ToDictionary(r => r.NameKey, StringComparer.Ordinal);
        foreach (var artist in artists)
        {
            var key = TextKeys.Normalize(artist.Name);
            var genres = string.Join(",", artist.Genres ?? []);
            if (!bySpotifyId.TryGetValue(artist.Id, out var row))
            {
                if (key.Length == 0)
                {
                    continue;
                }

                if (byKey.TryGetValue(key, out var sameName))
                {
                    if (sameName.SpotifyId is not null && sameName.SpotifyId != artist.Id)
                    {
                        continue;
                    }

                    row = sameName;
                }
                else
                {
                    row = new Artist { NameKey = key };
                    db.Artists.Add(row);
                    byKey[key] = row;
                }

                row.SpotifyId = artist.Id;
                bySpotifyId[artist.Id] = row;
            }

            row.Name = artist.Name ?? row.Name;
            if (genres.Length > 0 || row.Genres.Length == 0)
            {
                row.Genres = genres;
                row.Source = Source;
            }

            row.Popularity = artist.Popularity ?? row.Popularity;
            row.UpdatedAt = now;
        }
    }

    /// <summary>Genres stored joined with "," back into a list.</summary>
    public static IReadOnlyList<string> SplitGenres(string? genres) =>
        string.IsNullOrWhiteSpace(genres) ? [] : genres.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
