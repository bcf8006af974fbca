using System.Globalization;
using Recs.Core;
using Recs.Core.Catalog;

namespace Recs.Web.Cli;

/// <summary>
/// <c>import-artist-genres --csv PATH</c> (docs/contracts.md §CLI): loads an artist → genres table (format of artist_genres.csv)
/// as an offline genre source, with each artist's mean audio features.
/// </summary>
public sealed class ImportArtistGenresVerb(ArtistGenresImporter importer) : ICliVerb
{
    public string Name => "import-artist-genres";

    public string Summary => "import an artist → genres table with per-artist mean features: --csv PATH";

    public IReadOnlyCollection<string> Options => ["csv"];

    public async Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken cancellationToken)
    {
        var path = args.RequireFile("csv");
        ArtistGenresImportResult result;
        try
        {
            result = await importer.ImportFileAsync(path, cancellationToken);
        }
        catch (CatalogFormatException ex)
        {
            throw new CliUsageException(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--csv: cannot read {path}: {ex.Message}");
        }

        output.Result(new ImportArtistGenresJson(
            result.RowsRead, result.ArtistsImported, result.ArtistsWithGenres, result.DuplicatesSkipped, result.RowsRejected, result.Errors,
            result.ArtistsNew, result.ArtistsUpdated, result.ArtistsUnchanged, Math.Round(result.Elapsed.TotalSeconds, 3)));

        output.Line(string.Create(CultureInfo.InvariantCulture, $"Imported {Path.GetFileName(path)} in {result.Elapsed.TotalSeconds:0.0} s"));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"  rows read          {result.RowsRead,10:N0}"));
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"  artists imported   {result.ArtistsImported,10:N0}  ({result.ArtistsWithGenres:N0} with genres; {result.ArtistsNew:N0} new, {result.ArtistsUpdated:N0} updated, {result.ArtistsUnchanged:N0} unchanged)"));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"  duplicate names    {result.DuplicatesSkipped,10:N0}  (same normalised name; the row over more tracks kept)"));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"  rows rejected      {result.RowsRejected,10:N0}"));
        ImportCatalogVerb.WriteErrors(output, result.Errors, result.RowsRejected);
        return 0;
    }

    private sealed record ImportArtistGenresJson(
        int RowsRead,
        int ArtistsImported,
        int ArtistsWithGenres,
        int DuplicatesSkipped,
        int RowsRejected,
        IReadOnlyList<RowError> Errors,
        int ArtistsNew,
        int ArtistsUpdated,
        int ArtistsUnchanged,
        double Seconds);
}
