using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Csv;
using Recs.Core.Persistence;

namespace Recs.Core.Enrichment;

/// <summary>What writing the enriched CSV did.</summary>
public sealed record EnrichedCsvResult(int Rows, int RowsEnriched, string Path);

/// <summary>
/// Writes the enriched catalog file: every input row once, in input order, with the input columns unchanged plus
/// <see cref="AddedColumns"/> filled from the database (empty for rows not enriched yet). Written to a temporary file
/// and moved into place, so a kill never leaves half a file; rewriting after each run is idempotent.
/// </summary>
public static class EnrichedCsvWriter
{
    /// <summary>
    /// Columns appended to the input's: artist ids ";"-joined as the Kaggle artists column, genres ","-joined.
    /// Popularity, explicit and duration are already input columns (the catalog keeps the file's values there).
    /// </summary>
    public static readonly IReadOnlyList<string> AddedColumns =
        ["release_date", "release_year", "artist_ids", "artist_genres", "enriched_at"];

    public static async Task<EnrichedCsvResult> WriteAsync(string inputPath, string outputPath, IDbContextFactory<RecsDbContext> dbFactory, CancellationToken cancellationToken)
    {
        Dictionary<string, Enriched> enriched;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            enriched = await db.CatalogTracks.AsNoTracking().Where(t => t.EnrichedAt != null)
                .Select(t => new Enriched(t.Id, t.ReleaseDate, t.ReleaseYear, t.ArtistIds, t.ArtistGenres, t.EnrichedAt))
                .ToDictionaryAsync(t => t.Id, StringComparer.Ordinal, cancellationToken);
        }

        var fullOutput = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullOutput)!);
        var temp = fullOutput + ".partial";
        int rows = 0, rowsEnriched = 0;
        using (var input = File.OpenRead(inputPath))
        using (var csv = CsvRecordReader.FromStream(input))
        await using (var output = new StreamWriter(temp, append: false, new UTF8Encoding(false)))
        {
            var fields = new List<string>();
            if (!csv.TryRead(fields))
            {
                throw new InvalidDataException($"{inputPath}: the file is empty (expected a header row)");
            }

            var idColumn = fields.FindIndex(h => h.Trim().Equals("track_id", StringComparison.OrdinalIgnoreCase));
            if (idColumn < 0)
            {
                throw new InvalidDataException($"{inputPath}, line 1: no track_id column in the header");
            }

            await WriteRecordAsync(output, fields.Concat(AddedColumns));
            while (csv.TryRead(fields))
            {
                cancellationToken.ThrowIfCancellationRequested();
                rows++;
                var id = idColumn < fields.Count ? fields[idColumn].Trim() : "";
                IEnumerable<string> added = Enumerable.Repeat("", AddedColumns.Count);
                if (enriched.TryGetValue(id, out var e))
                {
                    rowsEnriched++;
                    added =
                    [
                        e.ReleaseDate ?? "",
                        e.ReleaseYear?.ToString(CultureInfo.InvariantCulture) ?? "",
                        e.ArtistIds ?? "",
                        e.ArtistGenres ?? "",
                        e.EnrichedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "",
                    ];
                }

                await WriteRecordAsync(output, fields.Concat(added));
            }
        }

        File.Move(temp, fullOutput, overwrite: true);
        return new EnrichedCsvResult(rows, rowsEnriched, fullOutput);
    }

    private static Task WriteRecordAsync(TextWriter writer, IEnumerable<string> fields) =>
        writer.WriteAsync(string.Join(',', fields.Select(Quote)) + "\n");

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private sealed record Enriched(string Id, string? ReleaseDate, int? ReleaseYear, string? ArtistIds, string? ArtistGenres, DateTimeOffset? EnrichedAt);
}
