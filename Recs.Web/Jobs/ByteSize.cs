using System.Globalization;

namespace Recs.Web.Jobs;

/// <summary>Sizes for people: "977 KB", "1.5 MB", "512 MB" (binary units, as file managers show them), never "0 MB".</summary>
public static class ByteSize
{
    private static readonly string[] Units = ["KB", "MB", "GB", "TB"];

    public static string Format(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes == 1 ? "1 byte" : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");
        }

        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        // One decimal below 10 ("1.5 MB"), whole numbers above ("977 KB"); a value that rounds up to 1024 moves up a unit.
        var text = value < 10 ? value.ToString("0.#", CultureInfo.InvariantCulture) : Math.Round(value).ToString("0", CultureInfo.InvariantCulture);
        if (text == "1024" && unit < Units.Length - 1)
        {
            return $"1 {Units[unit + 1]}";
        }

        return $"{text} {Units[unit]}";
    }
}
