namespace Recs.Core.Catalog;

/// <summary>What a catalog import did (docs/contracts.md §CLI <c>import-catalog</c>).</summary>
/// <param name="Format">The file format recognised from the header: see <see cref="CatalogFormats"/>.</param>
/// <param name="RowsRead">Data rows read (the header not counted).</param>
/// <param name="TracksImported">Distinct tracks accepted from the file (new, updated or already up to date).</param>
/// <param name="DuplicatesMerged">Good rows whose track id was already seen in the file: their genre labels were merged.</param>
/// <param name="RowsRejected">Bad rows, left out.</param>
/// <param name="Errors">The first <see cref="CatalogImporter.MaxErrorsReported"/> bad rows with line and reason.</param>
public sealed record CatalogImportResult(
    string Format,
    int RowsRead,
    int TracksImported,
    int DuplicatesMerged,
    int RowsRejected,
    IReadOnlyList<RowError> Errors)
{
    /// <summary>Rows that are not tracks (Exportify's empty rows for vanished items): neither imported nor errors.</summary>
    public int RowsSkipped { get; init; }

    /// <summary>Tracks that were not in the catalog before.</summary>
    public int TracksNew { get; init; }

    /// <summary>Tracks already in the catalog that this file changed (values or merged genre labels).</summary>
    public int TracksUpdated { get; init; }

    /// <summary>Tracks already in the catalog exactly as the file has them.</summary>
    public int TracksUnchanged { get; init; }

    /// <summary>Artists whose genres were added or changed (library exports carry artist genres).</summary>
    public int ArtistsUpdated { get; init; }

    /// <summary>Wall-clock time of the import.</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>Progress of a running import.</summary>
/// <param name="RowsRead">Data rows read so far.</param>
/// <param name="Fraction">Share of the file read, in [0, 1], when the stream's length is known.</param>
public sealed record CatalogImportProgress(int RowsRead, double? Fraction);

/// <summary>The formats <see cref="CatalogImporter"/> recognises by their header.</summary>
public static class CatalogFormats
{
    /// <summary>The Kaggle "Spotify Tracks Dataset" (maharshipandya), one row per track and <c>track_genre</c>.</summary>
    public const string Kaggle = "kaggle";

    /// <summary>A Spotify library export (Exportify and its variants) that carries audio features.</summary>
    public const string LibraryExport = "export";

    /// <summary>TidyTuesday 2020-01-21 Spotify songs (release dates; playlist genres).</summary>
    public const string TidyTuesday = "tidytuesday";
}

/// <summary>
/// The file cannot be imported at all (not a known catalog format, unreadable, a library export without audio
/// features). The message names the file and the reason; nothing was stored.
/// </summary>
public sealed class CatalogFormatException(string message, Exception? inner = null) : Exception(message, inner);
