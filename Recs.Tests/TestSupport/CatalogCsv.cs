using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Recs.Core.Catalog;

namespace Recs.Tests.TestSupport;

/// <summary>Builds small Kaggle-format catalog files in code (the header of the real dataset, with its index column).</summary>
public sealed class CatalogCsv
{
    public const string KaggleHeader =
        ",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre";

    private static readonly string[] Columns = KaggleHeader.Split(',');
    private readonly StringBuilder _text = new(KaggleHeader + "\n");
    private int _index;

    /// <summary>A valid 22-character id made from a number, e.g. Id(7) = "0000000000000000000007".</summary>
    public static string Id(int n) => n.ToString("D22", CultureInfo.InvariantCulture);

    /// <summary>Adds a valid row; <paramref name="set"/> overrides cells by column name (values written as given).</summary>
    public CatalogCsv Row(string id, string genre = "pop", params (string Column, string Value)[] set)
    {
        var values = new Dictionary<string, string>
        {
            [""] = (_index++).ToString(CultureInfo.InvariantCulture),
            ["track_id"] = id,
            ["artists"] = "Main Artist;Guest",
            ["album_name"] = "An Album",
            ["track_name"] = "A Song (feat. Guest) - Remastered 2011",
            ["popularity"] = "55",
            ["duration_ms"] = "210000",
            ["explicit"] = "False",
            ["danceability"] = "0.61",
            ["energy"] = "0.72",
            ["key"] = "5",
            ["loudness"] = "-6.5",
            ["mode"] = "1",
            ["speechiness"] = "0.05",
            ["acousticness"] = "0.12",
            ["instrumentalness"] = "0.0",
            ["liveness"] = "0.1",
            ["valence"] = "0.44",
            ["tempo"] = "121.5",
            ["time_signature"] = "4",
            ["track_genre"] = genre,
        };
        foreach (var (column, value) in set)
        {
            values[column] = value;
        }

        return Raw(string.Join(',', Columns.Select(c => Quote(values[c]))));
    }

    /// <summary>Adds a line exactly as written.</summary>
    public CatalogCsv Raw(string line)
    {
        _text.Append(line).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();

    public MemoryStream ToStream() => new(Encoding.UTF8.GetBytes(ToString()));

    /// <summary>Importers over a test database, with a fixed clock when given.</summary>
    public static CatalogImporter Importer(TestDatabase db, TimeProvider? time = null) =>
        new(db, NullLogger<CatalogImporter>.Instance, time ?? TimeProvider.System);

    public static ArtistGenresImporter ArtistImporter(TestDatabase db, TimeProvider? time = null) =>
        new(db, NullLogger<ArtistGenresImporter>.Instance, time ?? TimeProvider.System);

    private static string Quote(string v) => v.Contains(',') || v.Contains('"') ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
}
