using System.Text;
using Recs.Core.Csv;

namespace Recs.Tests.Core.Csv;

public sealed class CsvRecordReaderTests
{
    private static List<(int Line, int EndLine, string[] Fields, string? Broken)> ReadAll(string text, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        using var stream = new MemoryStream(bom ? [.. Encoding.UTF8.GetPreamble(), .. bytes] : bytes);
        using var csv = CsvRecordReader.FromStream(stream);
        var records = new List<(int, int, string[], string?)>();
        var fields = new List<string>();
        while (csv.TryRead(fields))
        {
            records.Add((csv.Line, csv.EndLine, fields.ToArray(), csv.BrokenQuoting()));
        }

        return records;
    }

    [Fact]
    public void Rfc4180QuotingLineEndingsAndBlankLinesAreReadWithTheLinesAnEditorShows()
    {
        var records = ReadAll("a,b,c\r\n1,\"x, \"\"y\"\"\",3\n\n4,\"two\nlines\",6\r7,12\" Mix,\"ab\"c\n8,,\n", bom: true);

        Assert.Equal(
            [
                (1, 1, "a|b|c"),
                (2, 2, "1|x, \"y\"|3"),
                (4, 5, "4|two\nlines|6"),
                (6, 6, "7|12\" Mix|abc"),
                (7, 7, "8||"),
            ],
            records.Select(r => (r.Line, r.EndLine, string.Join('|', r.Fields))));
        Assert.All(records, r => Assert.Null(r.Broken));
    }

    [Fact]
    public void AQuoteThatRunsOnPastItsLineIsNamedWithEveryLineItSwallowed()
    {
        // Line 3's quote is closed by the first quote of line 4, so the record still has three fields: before, it
        // was taken as one good row and line 4 vanished without a word.
        var records = ReadAll("a,b,c\n1,2,3\n4,\"oops,6\n7,\"8\",9\n10,11,12\n");

        Assert.Equal([(1, 1), (2, 2), (3, 4), (5, 5)], records.Select(r => (r.Line, r.EndLine)));
        Assert.Equal("unterminated quote: a quoted field opened on line 3 runs on past the end of the line", records[2].Broken);
        Assert.Null(records[3].Broken);
    }

    [Fact]
    public void AQuoteLeftOpenAtTheEndOfTheFileNamesTheLinesItCovers()
    {
        var text = "a,b,c\n1,2,3\n4,\"5,6\n7,8,9\n";
        using var csv = CsvRecordReader.FromText(text);
        var fields = new List<string>();
        Assert.True(csv.TryRead(fields));
        Assert.True(csv.TryRead(fields));
        Assert.True(csv.TryRead(fields));

        Assert.True(csv.UnclosedQuote);
        Assert.Equal(
            "a quoted field is never closed (the file ends inside quotes); lines 3-4 could not be read",
            csv.Lost(csv.BrokenQuoting()!));
        Assert.False(csv.TryRead(fields));
    }

    [Fact]
    public void AWrongFieldCountOnARecordSpanningLinesSaysWhyAndWhichLinesAreLost()
    {
        using var csv = CsvRecordReader.FromText("a,b,c\n1,\"2,3\n4,5,6\"\n");
        var fields = new List<string>();
        csv.TryRead(fields);
        csv.TryRead(fields);

        Assert.Equal(
            "has 2 fields, the header has 3 (unterminated quote? a quoted field opened on line 2 runs on past the end of the line); lines 2-3 could not be read",
            csv.Lost(csv.WrongFieldCount(fields.Count, 3)));
        Assert.Equal("has 2 fields, the header has 3", CsvRecordReader.LostLines("has 2 fields, the header has 3", 5, 5));
    }
}
