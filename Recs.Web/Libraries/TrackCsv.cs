using System.Globalization;
using System.Text;
using Recs.Core;

namespace Recs.Web.Libraries;

/// <summary>Writes cluster tracks as CSV (RFC 4180, UTF-8, header first) for the export download.</summary>
public static class TrackCsv
{
    /// <summary>The header row, in column order.</summary>
    public static readonly IReadOnlyList<string> Header =
        ["track_id", "name", "artists", "tempo", "energy", "danceability", "valence", "loudness", "source", "confidence", "cluster"];

    /// <summary>Writes <paramref name="rows"/> of cluster <paramref name="clusterName"/> to <paramref name="writer"/>.</summary>
    public static async Task WriteAsync(TextWriter writer, string clusterName, IEnumerable<TrackRow> rows, CancellationToken cancellationToken = default)
    {
        await writer.WriteLineAsync(string.Join(',', Header));
        var line = new StringBuilder();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            line.Clear();
            Append(line, row.Id ?? "");
            Append(line, row.Name);
            Append(line, row.Artists);
            for (var i = 0; i < AudioFeatures.Count; i++)
            {
                line.Append(row.Features[i].ToString("0.###", CultureInfo.InvariantCulture)).Append(',');
            }

            Append(line, FeatureSources.Name(row.Source));
            Append(line, row.Confidence?.SnakeName() ?? "");
            Append(line, clusterName, last: true);
            await writer.WriteLineAsync(line.ToString());
        }
    }

    private static void Append(StringBuilder line, string value, bool last = false)
    {
        // A cell starting with = + - @ is a formula to spreadsheet apps: prefix it so opening the export runs nothing.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            line.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
        }
        else
        {
            line.Append(value);
        }

        if (!last)
        {
            line.Append(',');
        }
    }
}
