using System.Globalization;
using Recs.Core;
using Recs.Core.Catalog;

namespace Recs.Web.Cli;

/// <summary>
/// <c>import-catalog --csv PATH</c> (docs/contracts.md §CLI): imports the Kaggle catalog, a library export with audio features or
/// the TidyTuesday songs. Bad rows are listed and skipped (exit 0); a file that cannot be imported at all exits 2.
/// </summary>
public sealed class ImportCatalogVerb(CatalogImporter importer) : ICliVerb
{
    public string Name => "import-catalog";

    public string Summary => "import catalog tracks with audio features: --csv PATH (Kaggle, library export with features, TidyTuesday)";

    public IReadOnlyCollection<string> Options => ["csv"];

    public async Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken cancellationToken)
    {
        var path = args.RequireFile("csv");
        CatalogImportResult result;
        try
        {
            var progress = new SynchronousProgress<CatalogImportProgress>(p =>
                output.Progress(p.Fraction is { } f ? $"{p.RowsRead:N0} rows read ({f:P0})" : $"{p.RowsRead:N0} rows read"));
            result = await importer.ImportFileAsync(path, progress, cancellationToken);
        }
        catch (CatalogFormatException ex)
        {
            throw new CliUsageException(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--csv: cannot read {path}: {ex.Message}");
        }

        output.Result(new ImportCatalogJson(
            result.RowsRead, result.TracksImported, result.DuplicatesMerged, result.RowsRejected, result.Errors,
            result.Format, result.RowsSkipped, result.TracksNew, result.TracksUpdated, result.TracksUnchanged, result.ArtistsUpdated,
            Math.Round(result.Elapsed.TotalSeconds, 3)));

        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"Imported {Path.GetFileName(path)} ({result.Format}) in {result.Elapsed.TotalSeconds:0.0} s"));
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"  rows read          {result.RowsRead,10:N0}"));
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"  tracks imported    {result.TracksImported,10:N0}  ({result.TracksNew:N0} new, {result.TracksUpdated:N0} updated, {result.TracksUnchanged:N0} unchanged)"));
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"  duplicates merged  {result.DuplicatesMerged,10:N0}"));
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"  rows rejected      {result.RowsRejected,10:N0}"));
        if (result.RowsSkipped > 0)
        {
            output.Line(string.Create(CultureInfo.InvariantCulture, $"  rows skipped       {result.RowsSkipped,10:N0}  (empty rows for items Spotify no longer serves)"));
        }

        if (result.ArtistsUpdated > 0)
        {
            output.Line(string.Create(CultureInfo.InvariantCulture, $"  artists updated    {result.ArtistsUpdated,10:N0}  (genres from the export)"));
        }

        WriteErrors(output, result.Errors, result.RowsRejected);
        return 0;
    }

    internal static void WriteErrors(CliOutput output, IReadOnlyList<RowError> errors, int total)
    {
        foreach (var e in errors)
        {
            output.Line($"  line {e.Line}: {e.Message}");
        }

        if (total > errors.Count)
        {
            output.Line($"  … and {total - errors.Count:N0} more rejected rows");
        }
    }

    /// <summary>The JSON contract of docs/contracts.md §CLI, plus extra fields.</summary>
    private sealed record ImportCatalogJson(
        int RowsRead,
        int TracksImported,
        int DuplicatesMerged,
        int RowsRejected,
        IReadOnlyList<RowError> Errors,
        string Format,
        int RowsSkipped,
        int TracksNew,
        int TracksUpdated,
        int TracksUnchanged,
        int ArtistsUpdated,
        double Seconds);
}
