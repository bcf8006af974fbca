using CsvHelper;

namespace Recs.Core.Csv;

/// <summary>
/// The importers' view of a CSV file: one record at a time as raw fields (no typed mapping), with the lines the
/// record covers as an editor shows them (the header is line 1; quoted fields may span lines). CsvHelper's
/// low-level reader does the RFC 4180 work (quotes, doubled quotes, CR/LF/CRLF, BOM, multi-line fields); this type
/// only adds what the importers' per-row validation needs: blank lines skipped, and a record whose quote ran on past
/// its line said so, so that the lines it swallowed are named in the error rather than lost — see ADR-010.
/// </summary>
internal sealed class CsvRecordReader : IDisposable
{
    private readonly CsvReader _reader;

    // Malformed quoting found by CsvHelper, by the line the record starts on (reported while a record is read).
    private readonly Dictionary<long, CsvMalformedReason> _malformed = [];

    private CsvRecordReader(Func<CsvReaderOptions, CsvReader> create)
    {
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            Separator = ',',
            Mode = CsvMode.Rfc4180,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            DetectSeparatorHint = false,
            OnMalformedRecord = m => _malformed[m.LineNumber] = m.Reason,
        };
        _reader = create(options);
    }

    /// <summary>Reads UTF-8 (or BOM-marked UTF-16/32) CSV from a stream, which stays open.</summary>
    public static CsvRecordReader FromStream(Stream stream) => new(o => CsvReader.Create(stream, o, leaveOpen: true));

    /// <summary>Reads CSV text (tests, small inputs).</summary>
    public static CsvRecordReader FromText(string text) => new(o => CsvReader.FromText(text, o));

    /// <summary>Line (1-based, header = 1) on which the record last read starts.</summary>
    public int Line { get; private set; }

    /// <summary>Last line of the record last read: beyond <see cref="Line"/> when a quoted field spans lines.</summary>
    public int EndLine { get; private set; }

    /// <summary>True when the record last read ended inside an unclosed quote (the file ended first).</summary>
    public bool UnclosedQuote { get; private set; }

    /// <summary>
    /// True when the record last read spans lines and its quoting is malformed: a quote opened on <see cref="Line"/>
    /// was not closed where its field ended, so the record swallowed the lines after it (<see cref="EndLine"/>).
    /// </summary>
    public bool QuoteRunsOn { get; private set; }

    /// <summary>Bytes of UTF-8 input before the record last read (for progress against a known length).</summary>
    public long BytesRead => _reader.ByteOffset;

    /// <summary>"line 14" or "lines 14-15": the lines the record last read covers.</summary>
    public string Lines => EndLine > Line ? $"lines {Line}-{EndLine}" : $"line {Line}";

    /// <summary>
    /// An error message for the record last read that could not be used: <paramref name="message"/>, followed, when
    /// the record covers more than one line, by the lines that are therefore lost.
    /// </summary>
    public string Lost(string message) => LostLines(message, Line, EndLine);

    /// <summary>See <see cref="Lost"/>, for a record read earlier.</summary>
    public static string LostLines(string message, int line, int endLine) =>
        endLine > line ? $"{message}; lines {line}-{endLine} could not be read" : message;

    /// <summary>
    /// Why the record last read cannot be a row (pass it through <see cref="Lost"/>), whatever its cells say, or null: the file ends inside quotes, or a
    /// quote ran on past the end of its line (the usual cause of a record with too many or too few fields, and of a
    /// row that silently disappears into the one before it).
    /// </summary>
    public string? BrokenQuoting() =>
        UnclosedQuote ? "a quoted field is never closed (the file ends inside quotes)"
        : QuoteRunsOn ? $"unterminated quote: a quoted field opened on line {Line} runs on past the end of the line"
        : null;

    /// <summary>
    /// The message for a record with the wrong number of fields, naming a quote that ran on when the record spans
    /// lines.
    /// </summary>
    public string WrongFieldCount(int fields, int expected) =>
        EndLine > Line
            ? $"has {fields} fields, the header has {expected} (unterminated quote? a quoted field opened on line {Line} runs on past the end of the line)"
            : $"has {fields} fields, the header has {expected}";

    /// <summary>
    /// Reads the next non-blank record into <paramref name="fields"/> (cleared first). Returns false at the end.
    /// A line holding nothing at all is skipped (editors and spreadsheets leave them at the end of files).
    /// </summary>
    public bool TryRead(List<string> fields)
    {
        fields.Clear();
        if (!_reader.Read())
        {
            return false;
        }

        Line = checked((int)_reader.LineNumber);
        var raw = _reader.RawRecord;
        var breaks = 0;
        if (raw.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
        {
            breaks = LineBreaks(raw);
        }

        EndLine = Line + breaks;
        UnclosedQuote = false;
        QuoteRunsOn = false;
        if (_malformed.Count > 0)
        {
            if (_malformed.Remove(_reader.LineNumber, out var reason))
            {
                UnclosedQuote = reason == CsvMalformedReason.UnterminatedQuote;
                QuoteRunsOn = !UnclosedQuote && breaks > 0 && reason != CsvMalformedReason.FieldCountMismatch;
            }

            // Reports for records skipped by the reader itself (none with these options) must not pile up.
            if (_malformed.Count > 0)
            {
                foreach (var key in _malformed.Keys.Where(k => k < Line).ToList())
                {
                    _malformed.Remove(key);
                }
            }
        }

        var count = _reader.FieldCount;
        for (var i = 0; i < count; i++)
        {
            fields.Add(_reader.GetString(i));
        }

        return true;
    }

    // Line breaks inside the record (CR, LF and CR LF each once); one at the very end (a quoted field that ran to
    // the end of the file) does not start a line of the record.
    private static int LineBreaks(ReadOnlySpan<byte> raw)
    {
        var end = raw.Length;
        if (end > 0 && raw[end - 1] == (byte)'\n')
        {
            end--;
            if (end > 0 && raw[end - 1] == (byte)'\r')
            {
                end--;
            }
        }
        else if (end > 0 && raw[end - 1] == (byte)'\r')
        {
            end--;
        }

        var breaks = 0;
        for (var i = 0; i < end; i++)
        {
            if (raw[i] == (byte)'\n')
            {
                breaks++;
            }
            else if (raw[i] == (byte)'\r' && (i + 1 >= end || raw[i + 1] != (byte)'\n'))
            {
                breaks++;
            }
        }

        return breaks;
    }

    public void Dispose() => _reader.Dispose();
}
