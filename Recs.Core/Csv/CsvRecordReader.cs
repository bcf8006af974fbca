using System.Text;

namespace Recs.Core.Csv;

/// <summary>
/// A small streaming RFC 4180 reader: one record at a time, with the line number where the record starts as an
/// editor shows it (quoted fields may span lines). Hand-written rather than CsvHelper's typed records because the
/// importers must report wrong column counts, blank cells and bad numbers per row with their line, and must keep
/// going after a bad row — see ADR-010.
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _field = new(256);
    private int _length;
    private int _position;
    private int _nextLine = 1;
    private bool _first = true;

    public CsvRecordReader(TextReader reader) => _reader = reader;

    /// <summary>Line (1-based) on which the record last read starts.</summary>
    public int Line { get; private set; }

    /// <summary>True when the record last read ended inside an unclosed quote (the file ended first).</summary>
    public bool UnclosedQuote { get; private set; }

    /// <summary>Characters consumed so far (for progress against a known length).</summary>
    public long CharactersRead { get; private set; }

    /// <summary>
    /// Reads the next non-blank record into <paramref name="fields"/> (cleared first). Returns false at the end.
    /// A line holding nothing at all is skipped (editors and spreadsheets leave them at the end of files).
    /// </summary>
    public bool TryRead(List<string> fields)
    {
        while (true)
        {
            fields.Clear();
            if (!ReadRecord(fields))
            {
                return false;
            }

            if (fields.Count == 1 && fields[0].Length == 0 && !UnclosedQuote)
            {
                continue;
            }

            return true;
        }
    }

    private bool ReadRecord(List<string> fields)
    {
        UnclosedQuote = false;
        if (!EnsureData())
        {
            return false;
        }

        Line = _nextLine;
        _field.Clear();
        var quoted = false;
        var afterQuote = false;
        while (true)
        {
            if (!EnsureData())
            {
                UnclosedQuote = quoted;
                fields.Add(_field.ToString());
                return true;
            }

            var c = _buffer[_position++];
            CharactersRead++;
            if (_first)
            {
                _first = false;
                if (c == '\uFEFF')
                {
                    // A BOM the decoder did not strip (e.g. a string read without encoding detection).
                    continue;
                }
            }

            if (quoted)
            {
                if (c == '"')
                {
                    if (EnsureData() && _buffer[_position] == '"')
                    {
                        _position++;
                        CharactersRead++;
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                        afterQuote = true;
                    }
                }
                else
                {
                    if (c == '\n' || (c == '\r' && !(EnsureData() && _buffer[_position] == '\n')))
                    {
                        _nextLine++;
                    }

                    _field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case ',':
                    fields.Add(_field.ToString());
                    _field.Clear();
                    afterQuote = false;
                    break;
                case '\r':
                    if (EnsureData() && _buffer[_position] == '\n')
                    {
                        _position++;
                        CharactersRead++;
                    }

                    _nextLine++;
                    fields.Add(_field.ToString());
                    return true;
                case '\n':
                    _nextLine++;
                    fields.Add(_field.ToString());
                    return true;
                case '"' when _field.Length == 0 && !afterQuote:
                    quoted = true;
                    break;
                default:
                    // A stray quote inside an unquoted field, or text after a closing quote, is kept as written:
                    // real exports contain titles like 12" Mix.
                    _field.Append(c);
                    break;
            }
        }
    }

    private bool EnsureData()
    {
        if (_position < _length)
        {
            return true;
        }

        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
