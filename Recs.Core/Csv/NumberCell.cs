using System.Globalization;
using Recs.Core.Catalog;
using Recs.Core.Libraries;

namespace Recs.Core.Csv;

/// <summary>
/// The one reader of a number cell for every importer (catalog, artist table, library exports): invariant culture,
/// finite, whole when the column counts something, inside <see cref="FeatureRanges"/> — and a message naming the
/// column and the value when it is not.
/// </summary>
internal static class NumberCell
{
    /// <summary>
    /// The number in <paramref name="cell"/>, or null when the cell is blank or bad; for a bad cell the first error of
    /// the row is kept in <paramref name="error"/>.
    /// </summary>
    /// <param name="column">The column as the file names it (used in messages).</param>
    /// <param name="rangeName">The <see cref="FeatureRanges"/> name to check against (default: <paramref name="column"/>).</param>
    /// <param name="whole">The value must be a whole number (counts, keys, modes).</param>
    /// <param name="columnInRangeError">Start a range error with the column name ("Loudness: loudness 12 is outside …"),
    /// for files whose column names differ from the range names.</param>
    public static double? Parse(string cell, string column, ref string? error, string? rangeName = null, bool whole = false, bool columnInRangeError = false)
    {
        var s = cell.Trim();
        if (s.Length == 0)
        {
            return null;
        }

        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
        {
            error ??= $"{column} '{LibraryFileReader.Shorten(s)}' is not {(whole ? "a whole number" : "a number")}";
            return null;
        }

        if (whole && d != Math.Floor(d))
        {
            error ??= $"{column} '{LibraryFileReader.Shorten(s)}' is not a whole number";
            return null;
        }

        if (FeatureRanges.Check(rangeName ?? column, d) is { } reason)
        {
            error ??= columnInRangeError ? $"{column}: {reason}" : reason;
            return null;
        }

        return d;
    }
}
