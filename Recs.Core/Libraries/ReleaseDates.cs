using System.Globalization;

namespace Recs.Core.Libraries;

/// <summary>Release dates as exports write them: "YYYY", "YYYY-MM", "YYYY-MM-DD", "M/D/YYYY" (spreadsheet re-saves), "0000" = unknown.</summary>
public static class ReleaseDates
{
    /// <summary>
    /// Parses a release date. <c>Ok</c> is false only for text that is not a date; an empty cell or a year of 0 is a
    /// valid "unknown" (null year and date). The date is returned as ISO text keeping the precision given.
    /// </summary>
    public static (int? Year, string? Date, bool Ok) Parse(string? text)
    {
        var s = text?.Trim() ?? "";
        if (s.Length == 0)
        {
            return (null, null, true);
        }

        var parts = s.Split('-');
        if (parts.Length is >= 1 and <= 3 && parts[0].Length == 4 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            var year = int.Parse(parts[0], CultureInfo.InvariantCulture);
            if (year == 0)
            {
                return (null, null, true);
            }

            var month = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 1;
            var day = parts.Length > 2 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 1;
            if (parts.Length > 1 && month == 0 && (parts.Length == 2 || day == 0))
            {
                // "1999-00" / "1999-00-00": only the year is known.
                return (year, year.ToString("D4", CultureInfo.InvariantCulture), true);
            }

            if (!IsValid(year, month, day) || parts[1..].Any(p => p.Length > 2))
            {
                return (null, null, false);
            }

            var iso = parts.Length switch
            {
                1 => $"{year:D4}",
                2 => $"{year:D4}-{month:D2}",
                _ => $"{year:D4}-{month:D2}-{day:D2}",
            };
            return (year, iso, true);
        }

        var slash = s.Split('/');
        if (slash.Length == 3 && slash.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)) && slash[2].Length == 4 && slash[0].Length <= 2 && slash[1].Length <= 2)
        {
            var month = int.Parse(slash[0], CultureInfo.InvariantCulture);
            var day = int.Parse(slash[1], CultureInfo.InvariantCulture);
            var year = int.Parse(slash[2], CultureInfo.InvariantCulture);
            if (year == 0)
            {
                return (null, null, true);
            }

            return IsValid(year, month, day)
                ? (year, $"{year:D4}-{month:D2}-{day:D2}", true)
                : (null, null, false);
        }

        return (null, null, false);
    }

    private static bool IsValid(int year, int month, int day) =>
        year is >= 1000 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
}
