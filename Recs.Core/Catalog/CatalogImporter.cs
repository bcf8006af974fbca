using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recs.Core.Csv;
using Recs.Core.Libraries;
using Recs.Core.Persistence;

namespace Recs.Core.Catalog;

/// <summary>
/// Imports a catalog file (docs/contracts.md §Data): the Kaggle Spotify Tracks Dataset, a library export that carries audio features
/// (Exportify and its variants, with release dates and artist genres) or the TidyTuesday songs — told apart by the
/// header. Rows are streamed and validated one at a time; a bad row is reported with its line and reason and left out,
/// the good rows are kept; duplicates of a track id merge their genre labels; importing the same file again changes
/// nothing. The whole file is one transaction: a cancelled or failed import stores nothing.
/// </summary>
public sealed class CatalogImporter(IDbContextFactory<RecsDbContext> dbFactory, ILogger<CatalogImporter> logger, TimeProvider timeProvider)
{
    /// <summary>How many bad rows a result lists (all are counted).</summary>
    public const int MaxErrorsReported = 100;

    private const int ProgressEveryRows = 5_000;

    /// <summary>Imports a catalog file from disk.</summary>
    /// <exception cref="CatalogFormatException">The file is not a known catalog format; nothing was stored.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public async Task<CatalogImportResult> ImportFileAsync(string path, IProgress<CatalogImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return await ImportAsync(stream, Path.GetFileName(path), progress, cancellationToken);
    }

    /// <summary>
    /// Imports a catalog file from a stream (e.g. an upload). A stream that is not a file or memory stream is first
    /// copied to a temporary file, because upload streams only allow asynchronous reads.
    /// </summary>
    /// <param name="stream">The file's bytes (UTF-8, with or without BOM).</param>
    /// <param name="fileName">The file's name, used in messages.</param>
    /// <param name="progress">Receives rows read and the share of the file done.</param>
    /// <param name="cancellationToken">Cancels the import; nothing is stored then.</param>
    /// <exception cref="CatalogFormatException">The file is not a known catalog format; nothing was stored.</exception>
    public async Task<CatalogImportResult> ImportAsync(Stream stream, string fileName, IProgress<CatalogImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (stream is FileStream or MemoryStream)
        {
            return await Task.Run(() => Import(stream, fileName, progress, cancellationToken), cancellationToken);
        }

        var spool = Path.Combine(Path.GetTempPath(), $"recs-import-{Guid.NewGuid():N}.csv");
        try
        {
            await using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await stream.CopyToAsync(file, cancellationToken);
            }

            return await ImportFileAsync(spool, progress, cancellationToken);
        }
        finally
        {
            File.Delete(spool);
        }
    }

    private CatalogImportResult Import(Stream stream, string fileName, IProgress<CatalogImportProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long? length = stream.CanSeek ? stream.Length - stream.Position : null;
        using var csv = CsvRecordReader.FromStream(stream);
        var header = new List<string>();
        if (!csv.TryRead(header))
        {
            throw new CatalogFormatException($"{fileName}: the file is empty (expected a header row)");
        }

        var format = Detect(header, fileName, out var parser, out var libraryColumns);
        using var db = dbFactory.CreateDbContext();
        db.Database.OpenConnection();
        try
        {
            var connection = db.Database.GetDbConnection();
            using var transaction = connection.BeginTransaction();
            var model = db.Model;
            var existing = CatalogTrackWriter.LoadExistingIds(connection, transaction, model);
            var now = timeProvider.GetUtcNow();
            using var writer = new CatalogTrackWriter(connection, transaction, model, now);
            var tally = new Tally(existing);
            var source = format switch
            {
                CatalogFormats.TidyTuesday => CatalogSources.TidyTuesday,
                CatalogFormats.LibraryExport => CatalogSources.LibraryExport,
                _ => CatalogSources.Kaggle,
            };

            if (parser is not null)
            {
                var fields = new List<string>(32);
                while (csv.TryRead(fields))
                {
                    tally.RowsRead++;
                    if (tally.RowsRead % 1000 == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (tally.RowsRead % ProgressEveryRows == 0)
                        {
                            progress?.Report(new CatalogImportProgress(tally.RowsRead, length is > 0 ? Math.Min(1, csv.BytesRead / (double)length.Value) : null));
                        }
                    }

                    if (csv.BrokenQuoting() is { } broken)
                    {
                        tally.Reject(csv.Line, csv.Lost(broken));
                        continue;
                    }

                    if (fields.Count != parser.ColumnCount)
                    {
                        tally.Reject(csv.Line, csv.Lost(csv.WrongFieldCount(fields.Count, parser.ColumnCount)));
                        continue;
                    }

                    if (parser.Parse(fields, out var error) is { } row)
                    {
                        tally.Accept(row, writer, source);
                    }
                    else
                    {
                        tally.Reject(csv.Line, csv.Lost(error ?? "bad row"));
                    }
                }
            }
            else
            {
                ImportExport(csv, libraryColumns!, fileName, connection, transaction, model, now, writer, tally, cancellationToken);
            }

            writer.Flush();
            cancellationToken.ThrowIfCancellationRequested();
            var result = tally.ToResult(format, clock.Elapsed);
            if (result.TracksNew + result.TracksUpdated + result.ArtistsUpdated > 0)
            {
                CatalogRevision.Bump(connection, transaction, now);
            }

            transaction.Commit();
            progress?.Report(new CatalogImportProgress(tally.RowsRead, 1));
            logger.LogInformation(
                "Imported {File} ({Format}): {Rows} rows, {Tracks} tracks ({New} new, {Updated} updated, {Unchanged} unchanged), {Duplicates} duplicates merged, {Rejected} rejected in {Seconds:0.00} s",
                fileName, format, result.RowsRead, result.TracksImported, result.TracksNew, result.TracksUpdated, result.TracksUnchanged,
                result.DuplicatesMerged, result.RowsRejected, clock.Elapsed.TotalSeconds);
            return result;
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }

    private static string Detect(List<string> header, string fileName, out CatalogRowParser? parser, out LibraryColumns? libraryColumns)
    {
        parser = null;
        libraryColumns = null;
        if (KaggleRowParser.Matches(header))
        {
            parser = new KaggleRowParser(header, fileName);
            return CatalogFormats.Kaggle;
        }

        if (TidyTuesdayRowParser.Matches(header))
        {
            parser = new TidyTuesdayRowParser(header, fileName);
            return CatalogFormats.TidyTuesday;
        }

        if (LibraryColumns.Find(header) is { } columns)
        {
            if (!columns.HasClusteredFeatures)
            {
                throw new CatalogFormatException(
                    $"{fileName}: a library export without audio-feature columns (Danceability, Energy, Loudness, Valence, Tempo): nothing in it can join the catalog — cluster it instead");
            }

            libraryColumns = columns;
            return CatalogFormats.LibraryExport;
        }

        if (header.Any(h => h.Trim().Equals("genres", StringComparison.OrdinalIgnoreCase)) && header.Any(h => h.Trim().Equals("artists", StringComparison.OrdinalIgnoreCase)))
        {
            throw new CatalogFormatException($"{fileName}: this is an artist → genres table, not a catalog of tracks: import it with import-artist-genres");
        }

        var shown = string.Join(", ", header.Take(8).Select(h => $"'{LibraryFileReader.Shorten(h.Trim(), 30)}'"));
        throw new CatalogFormatException(
            $"{fileName}: not a known catalog format: expected the Kaggle header (track_id, artists, … track_genre), a library export " +
            $"with audio features (Track URI/Track ID/Spotify ID, …, Tempo) or the TidyTuesday songs header; found {header.Count} columns: {shown}{(header.Count > 8 ? ", …" : "")}");
    }

    private static void ImportExport(
        CsvRecordReader csv, LibraryColumns columns, string fileName, System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        Microsoft.EntityFrameworkCore.Metadata.IModel model, DateTimeOffset now, CatalogTrackWriter writer, Tally tally, CancellationToken cancellationToken)
    {
        // Exports are small (a Liked Songs file of 3,000 rows is ~1 MB) and need a whole-file look at how artists are
        // joined, so they are read in one go by the library reader.
        var detail = LibraryFileReader.ReadDetailed(csv, columns, fileName, new LibraryReadOptions { MaxRows = int.MaxValue, MaxBytes = long.MaxValue });
        tally.RowsRead = detail.RowsRead;
        tally.RowsSkipped = detail.Skipped.Count;
        foreach (var e in detail.Errors)
        {
            tally.Reject(e.Line, e.Message);
        }

        // Exportify's Genres cell is the union of all the track's artists' genres, so only single-artist rows say
        // which genres belong to whom.
        var artists = new Dictionary<string, ArtistRecord>(StringComparer.Ordinal);
        foreach (var r in detail.Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = r.Track;
            if (t.IsLocal || t.Id is null)
            {
                tally.Reject(r.Line, "a local file has no Spotify id: it cannot be a catalog track");
                continue;
            }

            if (r.AllFeatures is null)
            {
                tally.Reject(r.Line, "audio features are missing (blank cells): not a catalog track");
                continue;
            }

            var row = new CatalogRow
            {
                Id = t.Id,
                Name = t.Name,
                Artists = t.Artists,
                ArtistIds = t.ArtistIds,
                AlbumName = t.Album ?? "",
                Popularity = t.Popularity,
                DurationMs = t.DurationMs ?? 0,
                Explicit = t.Explicit,
                ReleaseYear = t.ReleaseYear,
                ReleaseDate = r.ReleaseDate,
                Features = r.AllFeatures,
                ArtistGenres = t.Genres,
            };
            tally.Accept(row, writer, CatalogSources.LibraryExport);
            if (t.Artists.Count == 1 && t.Genres.Count > 0)
            {
                var record = new ArtistRecord(t.Artists[0], t.Genres, ArtistSources.LibraryExport) { SpotifyId = t.ArtistIds.Count == 1 ? t.ArtistIds[0] : null };
                artists.TryAdd(record.NameKey, record);
            }
        }

        writer.Flush();
        using var artistWriter = new ArtistWriter(connection, transaction, model, now);
        foreach (var a in artists.Values)
        {
            if (artistWriter.Upsert(a))
            {
                tally.ArtistsUpdated++;
            }
        }
    }

    /// <summary>Counts of one import; decides per row whether it is a new track or a duplicate in the file.</summary>
    private sealed class Tally(HashSet<string> existing)
    {
        private readonly Dictionary<string, TrackState> _seen = new(StringComparer.Ordinal);
        private readonly List<RowError> _errors = [];

        public int RowsRead { get; set; }
        public int RowsSkipped { get; set; }
        public int RowsRejected { get; private set; }
        public int DuplicatesMerged { get; private set; }
        public int ArtistsUpdated { get; set; }

        public void Reject(int line, string message)
        {
            RowsRejected++;
            if (_errors.Count < MaxErrorsReported)
            {
                _errors.Add(new RowError(line, message));
            }
        }

        public void Accept(CatalogRow row, CatalogTrackWriter writer, string source)
        {
            var id = row.Id;
            if (_seen.ContainsKey(id))
            {
                // The first row of a track sets its values; later rows only add their genre labels, so the result
                // does not depend on which duplicate was written last (and a second import changes nothing).
                // Results arrive in statement order, so the track's own upsert has been counted by then.
                DuplicatesMerged++;
                writer.MergeGenres(id, row.TrackGenres, changed =>
                {
                    if (changed && _seen[id] == TrackState.Unchanged)
                    {
                        _seen[id] = TrackState.Updated;
                    }
                });
                return;
            }

            var isNew = !existing.Contains(id);
            _seen[id] = isNew ? TrackState.New : TrackState.Unchanged; // until the upsert says it changed the row
            writer.Upsert(row, source, changed =>
            {
                if (changed && !isNew)
                {
                    _seen[id] = TrackState.Updated;
                }
            });
        }

        public CatalogImportResult ToResult(string format, TimeSpan elapsed)
        {
            _errors.Sort((a, b) => a.Line.CompareTo(b.Line));
            var states = _seen.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
            return new CatalogImportResult(format, RowsRead, _seen.Count, DuplicatesMerged, RowsRejected, _errors)
            {
                RowsSkipped = RowsSkipped,
                TracksNew = states.GetValueOrDefault(TrackState.New),
                TracksUpdated = states.GetValueOrDefault(TrackState.Updated),
                TracksUnchanged = states.GetValueOrDefault(TrackState.Unchanged),
                ArtistsUpdated = ArtistsUpdated,
                Elapsed = elapsed,
            };
        }
    }

    private enum TrackState
    {
        New,
        Updated,
        Unchanged,
    }
}
