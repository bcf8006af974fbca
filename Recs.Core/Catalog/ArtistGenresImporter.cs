using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recs.Core.Csv;
using Recs.Core.Libraries;
using Recs.Core.Persistence;

namespace Recs.Core.Catalog;

/// <summary>What an artist → genres import did.</summary>
/// <param name="RowsRead">Data rows read (the header not counted).</param>
/// <param name="ArtistsImported">Distinct artists (by normalised name) accepted from the file.</param>
/// <param name="ArtistsWithGenres">Of those, artists the table gives at least one genre.</param>
/// <param name="DuplicatesSkipped">Rows whose normalised name another row already had (the row over more tracks is kept).</param>
/// <param name="RowsRejected">Bad rows, left out.</param>
/// <param name="Errors">The first bad rows with line and reason.</param>
public sealed record ArtistGenresImportResult(int RowsRead, int ArtistsImported, int ArtistsWithGenres, int DuplicatesSkipped, int RowsRejected, IReadOnlyList<RowError> Errors)
{
    /// <summary>Artists that were not stored before.</summary>
    public int ArtistsNew { get; init; }

    /// <summary>Stored artists this file changed (genres where allowed, or the table's mean features).</summary>
    public int ArtistsUpdated { get; init; }

    /// <summary>Stored artists already exactly as the file has them (or whose genres came from a more trusted source).</summary>
    public int ArtistsUnchanged { get; init; }

    /// <summary>Wall-clock time of the import.</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>
/// Imports an artist → genres table (the format of "Spotify Dataset 1921-2020" <c>data_w_genres.csv</c>: <c>genres</c>
/// comma-joined or <c>[]</c>, <c>artists</c> = the name, the artist's MEAN audio features over its tracks, <c>popularity</c>,
/// <c>count</c>) into <see cref="Artist"/>: genres as an offline source for when Spotify gives none (never replacing
/// genres that came from Spotify or an export), and the per-artist means as <c>Table*</c> columns for prediction.
/// </summary>
public sealed class ArtistGenresImporter(IDbContextFactory<RecsDbContext> dbFactory, ILogger<ArtistGenresImporter> logger, TimeProvider timeProvider)
{
    private static readonly string[] RequiredColumns = ["genres", "artists"];

    /// <summary>Imports the table from a file on disk.</summary>
    /// <exception cref="CatalogFormatException">The file is not an artist → genres table; nothing was stored.</exception>
    public async Task<ArtistGenresImportResult> ImportFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return await ImportAsync(stream, Path.GetFileName(path), cancellationToken);
    }

    /// <summary>Imports the table from a stream (buffered first when it only allows asynchronous reads).</summary>
    /// <exception cref="CatalogFormatException">The file is not an artist → genres table; nothing was stored.</exception>
    public async Task<ArtistGenresImportResult> ImportAsync(Stream stream, string fileName, CancellationToken cancellationToken = default)
    {
        if (stream is not (FileStream or MemoryStream))
        {
            var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            stream = buffer;
        }

        return await Task.Run(() => Import(stream, fileName, cancellationToken), cancellationToken);
    }

    private ArtistGenresImportResult Import(Stream stream, string fileName, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var csv = CsvRecordReader.FromStream(stream);
        var header = new List<string>();
        if (!csv.TryRead(header))
        {
            throw new CatalogFormatException($"{fileName}: the file is empty (expected the header genres,artists,…)");
        }

        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            columns.TryAdd(header[i].Trim().Trim('\uFEFF'), i);
        }

        var missing = RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new CatalogFormatException(
                $"{fileName}: not an artist → genres table: no column {string.Join(", ", missing.Select(m => $"'{m}'"))} (expected the header of artist_genres.csv: genres,artists,acousticness,…,count)");
        }

        int? Index(string name) => columns.TryGetValue(name, out var i) ? i : null;
        var (genresCol, nameCol) = (columns["genres"], columns["artists"]);
        var (tempoCol, energyCol, danceCol, valenceCol, loudCol, popCol, countCol) =
            (Index("tempo"), Index("energy"), Index("danceability"), Index("valence"), Index("loudness"), Index("popularity"), Index("count"));

        var rowsRead = 0;
        var rejected = 0;
        var duplicates = 0;
        var errors = new List<RowError>();
        var byKey = new Dictionary<string, ArtistRecord>(StringComparer.Ordinal);
        var fields = new List<string>(16);
        while (csv.TryRead(fields))
        {
            rowsRead++;
            if (rowsRead % 1000 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var error = csv.BrokenQuoting();
            if (error is null && fields.Count != header.Count)
            {
                error = csv.WrongFieldCount(fields.Count, header.Count);
            }

            var name = error is null ? fields[nameCol].Trim() : "";
            if (error is null && TextKeys.Normalize(name).Length == 0)
            {
                error = name.Length == 0 ? "artists (the name) is missing" : $"artists '{LibraryFileReader.Shorten(name)}' has no letters or digits to match on";
            }

            double? Mean(int? col, string feature)
            {
                return error is null && col is { } c ? NumberCell.Parse(fields[c], feature, ref error) : null;
            }

            var tempo = Mean(tempoCol, "tempo");
            var energy = Mean(energyCol, "energy");
            var danceability = Mean(danceCol, "danceability");
            var valence = Mean(valenceCol, "valence");
            var loudness = Mean(loudCol, "loudness");
            var popularity = Mean(popCol, "popularity");
            var count = Mean(countCol, "count");
            if (error is null && count is { } n && (n < 0 || n != Math.Floor(n)))
            {
                error = $"count '{fields[countCol!.Value].Trim()}' is not a whole number of tracks";
            }

            if (error is not null)
            {
                rejected++;
                if (errors.Count < CatalogImporter.MaxErrorsReported)
                {
                    errors.Add(new RowError(csv.Line, csv.Lost(error)));
                }

                continue;
            }

            var record = new ArtistRecord(name, ParseGenres(fields[genresCol]), ArtistSources.ArtistTable)
            {
                // A mean tempo of 0 means none of the artist's tracks had a detected tempo.
                TableTempo = tempo is > 0 ? tempo : null,
                TableEnergy = energy,
                TableDanceability = danceability,
                TableValence = valence,
                TableLoudness = loudness,
                TablePopularity = popularity,
                TableTrackCount = count is { } c ? (int)c : null,
            };
            if (byKey.TryGetValue(record.NameKey, out var other))
            {
                // "Beyoncé" and "Beyonce" share a key: keep the row over more tracks (the first on a tie), so the
                // outcome does not depend on row order beyond that and a second import changes nothing.
                duplicates++;
                if ((record.TableTrackCount ?? 0) <= (other.TableTrackCount ?? 0))
                {
                    continue;
                }
            }

            byKey[record.NameKey] = record;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (created, updated, unchanged) = Write(byKey.Values);
        var result = new ArtistGenresImportResult(rowsRead, byKey.Count, byKey.Values.Count(a => a.Genres.Count > 0), duplicates, rejected, errors)
        {
            ArtistsNew = created,
            ArtistsUpdated = updated,
            ArtistsUnchanged = unchanged,
            Elapsed = clock.Elapsed,
        };
        logger.LogInformation(
            "Imported artist table {File}: {Rows} rows, {Artists} artists ({New} new, {Updated} updated, {Unchanged} unchanged), {Rejected} rejected in {Seconds:0.00} s",
            fileName, rowsRead, result.ArtistsImported, created, updated, unchanged, rejected, clock.Elapsed.TotalSeconds);
        return result;
    }

    private (int New, int Updated, int Unchanged) Write(IEnumerable<ArtistRecord> artists)
    {
        using var db = dbFactory.CreateDbContext();
        db.Database.OpenConnection();
        try
        {
            var existing = db.Artists.AsNoTracking().Select(a => a.NameKey).ToHashSet(StringComparer.Ordinal);
            var connection = db.Database.GetDbConnection();
            using var transaction = connection.BeginTransaction();
            using var writer = new ArtistWriter(connection, transaction, db.Model, timeProvider.GetUtcNow());
            var (created, updated, unchanged) = (0, 0, 0);
            foreach (var a in artists)
            {
                var changed = writer.Upsert(a);
                if (!existing.Contains(a.NameKey))
                {
                    created++;
                }
                else if (changed)
                {
                    updated++;
                }
                else
                {
                    unchanged++;
                }
            }

            transaction.Commit();
            return (created, updated, unchanged);
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }

    /// <summary>Genres as the table writes them: "a, b", "[]" for none, or a Python list "['a', 'b']".</summary>
    internal static IReadOnlyList<string> ParseGenres(string cell)
    {
        var s = cell.Trim();
        if (s.StartsWith('[') && s.EndsWith(']'))
        {
            s = s[1..^1];
        }

        return s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(g => g.Trim('\'', '"', ' '))
            .Where(g => g.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
