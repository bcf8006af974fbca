using System.Globalization;
using System.Text;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Clustering;

namespace Recs.Tests.TestSupport;

/// <summary>
/// Test-only reader of the five clustered features from the Kaggle catalog CSV (for measurements on the real data);
/// the product imports the catalog through the catalog importer. Rows are deduplicated by track id.
/// </summary>
public static class KaggleFeaturesReader
{
    public static List<CatalogLookupEntry> Read(string path)
    {
        var result = new List<CatalogLookupEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var reader = new StreamReader(path);
        var header = SplitCsv(reader.ReadLine() ?? "");
        int Col(string name) => header.IndexOf(name);
        int id = Col("track_id"), artists = Col("artists"), title = Col("track_name"), tempo = Col("tempo"), energy = Col("energy"),
            dance = Col("danceability"), valence = Col("valence"), loudness = Col("loudness");
        while (reader.ReadLine() is { } line)
        {
            var cells = SplitCsv(line);
            if (cells.Count != header.Count || !seen.Add(cells[id]))
            {
                continue;
            }

            double D(int i) => double.Parse(cells[i], CultureInfo.InvariantCulture);
            var artist = cells[artists].Split(';')[0];
            result.Add(new CatalogLookupEntry(cells[id], TextKeys.Normalize(artist), TextKeys.Title(cells[title]),
                new AudioFeatures(D(tempo), D(energy), D(dance), D(valence), D(loudness))));
        }

        return result;
    }

    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    sb.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }
        }

        cells.Add(sb.ToString());
        return cells;
    }
}
