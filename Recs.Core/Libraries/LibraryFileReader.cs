using System.Text;
using Recs.Core.Catalog;
using Recs.Core.Csv;

namespace Recs.Core.Libraries;

/// <summary>
/// Reads Spotify library exports: Exportify's CSV and the variants real exports show (docs/contracts.md §CLI) — <c>Track URI</c>,
/// <c>Track ID</c> or <c>Spotify ID</c>; <c>Release Date</c> or <c>Album Release Date</c>; <c>Genres</c> or
/// <c>Artist Genres</c>; <c>Duration (ms)</c> or <c>Track Duration (ms)</c>; header names padded with whitespace or tabs;
/// a UTF-8 BOM; artists and genres joined inside quotes; audio-feature columns present or absent; local files.
/// A bad row is reported with its line and left out; the good rows are kept.
/// </summary>
public static class LibraryFileReader
{
    /// <summary>Reads a library export from a stream (synchronous reads only; see <see cref="ReadAsync"/> for uploads).</summary>
    /// <param name="stream">The file's bytes (UTF-8, with or without BOM).</param>
    /// <param name="fileName">The file's name, used in error messages.</param>
    /// <param name="options">Size limits; <see cref="LibraryReadOptions.Default"/> when null.</param>
    /// <exception cref="LibraryFormatException">The file is not a library export, or exceeds the limits.</exception>
    public static LibraryReadResult Read(Stream stream, string fileName, LibraryReadOptions? options = null) =>
        ReadDetailed(stream, fileName, options).ToResult();

    /// <summary>Reads a library export from a file on disk.</summary>
    /// <exception cref="LibraryFormatException">The file is not a library export, or exceeds the limits.</exception>
    public static LibraryReadResult ReadFile(string path, LibraryReadOptions? options = null)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path), options);
    }

    /// <summary>
    /// Reads a library export from a stream that only supports asynchronous reads (e.g. a Blazor upload): the bytes are
    /// buffered up to <see cref="LibraryReadOptions.MaxBytes"/> first.
    /// </summary>
    /// <exception cref="LibraryFormatException">The file is not a library export, or exceeds the limits.</exception>
    public static async Task<LibraryReadResult> ReadAsync(Stream stream, string fileName, LibraryReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= LibraryReadOptions.Default;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + n > options.MaxBytes)
            {
                throw TooLarge(fileName, options);
            }

            buffer.Write(chunk, 0, n);
        }

        buffer.Position = 0;
        return Read(buffer, fileName, options);
    }

    /// <summary>Like <see cref="Read"/>, with every detail of the good rows (release date, all audio features).</summary>
    /// <exception cref="LibraryFormatException">The file is not a library export, or exceeds the limits.</exception>
    public static LibraryReadDetail ReadDetailed(Stream stream, string fileName, LibraryReadOptions? options = null)
    {
        options ??= LibraryReadOptions.Default;
        if (stream.CanSeek && stream.Length - stream.Position > options.MaxBytes)
        {
            throw TooLarge(fileName, options);
        }

        using var limited = new LimitedReadStream(stream, options.MaxBytes, fileName);
        using var csv = CsvRecordReader.FromStream(limited);
        var header = new List<string>();
        if (!csv.TryRead(header))
        {
            throw new LibraryFormatException($"{fileName}: the file is empty (expected an Exportify CSV with a header row)");
        }

        var columns = LibraryColumns.Find(header)
            ?? throw new LibraryFormatException(
                $"{fileName}: not a Spotify library export: no track-id column (expected 'Track URI', 'Track ID' or 'Spotify ID'; the header has {Describe(header)})");
        return ReadDetailed(csv, columns, fileName, options);
    }

    /// <summary>True when a header (as read from the file) is a library export's: it has a track-id column.</summary>
    public static bool IsLibraryHeader(IReadOnlyList<string> header) => LibraryColumns.Find(header) is not null;

    /// <summary>True when a library header also has the five clustered audio-feature columns.</summary>
    public static bool HasAudioFeatureColumns(IReadOnlyList<string> header) => LibraryColumns.Find(header)?.HasClusteredFeatures ?? false;

    internal static LibraryReadDetail ReadDetailed(CsvRecordReader csv, LibraryColumns columns, string fileName, LibraryReadOptions options)
    {
        // Rows are gathered first: whether artists are joined with ";" (newer Exportify, which keeps names like
        // "Tyler, The Creator" whole) or with "," is a property of the whole file.
        var raw = new List<(int Line, int EndLine, string[] Fields)>();
        var errors = new List<RowError>();
        var fields = new List<string>();
        var rowsRead = 0;
        while (csv.TryRead(fields))
        {
            rowsRead++;
            if (rowsRead > options.MaxRows)
            {
                throw new LibraryFormatException($"{fileName}: more than {options.MaxRows:N0} rows (the limit for one library file)");
            }

            if (csv.BrokenQuoting() is { } broken)
            {
                errors.Add(new RowError(csv.Line, csv.Lost(broken)));
            }
            else if (fields.Count != columns.Count)
            {
                errors.Add(new RowError(csv.Line, csv.Lost(csv.WrongFieldCount(fields.Count, columns.Count))));
            }
            else
            {
                raw.Add((csv.Line, csv.EndLine, fields.ToArray()));
            }
        }

        var artistSeparator = columns.Artists is { } a && raw.Any(r => r.Fields[a].Contains(';')) ? ';' : ',';
        var rows = new List<LibraryRow>(raw.Count);
        var skipped = new List<RowError>();
        foreach (var (line, endLine, f) in raw)
        {
            var outcome = ParseRow(line, f, columns, artistSeparator);
            switch (outcome)
            {
                case RowOutcome.Good g:
                    rows.Add(g.Row);
                    break;
                case RowOutcome.Bad b:
                    errors.Add(new RowError(line, CsvRecordReader.LostLines(b.Message, line, endLine)));
                    break;
                case RowOutcome.Skip s:
                    skipped.Add(new RowError(line, s.Message));
                    break;
            }
        }

        errors.Sort((x, y) => x.Line.CompareTo(y.Line));
        return new LibraryReadDetail(rows, rowsRead, errors, skipped, columns.HasClusteredFeatures);
    }

    private abstract record RowOutcome
    {
        public sealed record Good(LibraryRow Row) : RowOutcome;
        public sealed record Bad(string Message) : RowOutcome;
        public sealed record Skip(string Message) : RowOutcome;
    }

    private static RowOutcome ParseRow(int line, string[] f, LibraryColumns c, char artistSeparator)
    {
        string Cell(int? index) => index is { } i ? f[i].Trim() : "";

        var idCell = Cell(c.Id);
        var name = Cell(c.Name);
        var artists = SplitList(Cell(c.Artists), artistSeparator);
        var album = c.Album is null ? null : Cell(c.Album);
        string? id = null;
        var isLocal = false;
        if (idCell.Length == 0)
        {
            if (name.Length == 0 || name == "undefined")
            {
                return new RowOutcome.Skip($"{c.IdName} is empty and the row names no track (an item Spotify no longer serves)");
            }

            return new RowOutcome.Bad($"{c.IdName} is empty (and the row is not a local file)");
        }

        if (idCell.StartsWith("spotify:local:", StringComparison.OrdinalIgnoreCase))
        {
            isLocal = true;
            (name, artists, album) = FillFromLocalUri(idCell, name, artists, album);
        }
        else if (SpotifyIds.TryParseTrack(idCell) is { } parsed)
        {
            id = parsed;
        }
        else
        {
            return new RowOutcome.Bad($"{c.IdName} '{Shorten(idCell)}' is not a Spotify track id or URI");
        }

        var error = (string?)null;
        var duration = ParseInt(Cell(c.Duration), c.DurationName, "duration_ms", ref error);
        var popularity = ParseInt(Cell(c.Popularity), "Popularity", "popularity", ref error);
        bool? explicitFlag = null;
        var explicitCell = Cell(c.Explicit);
        if (explicitCell.Length > 0)
        {
            if (bool.TryParse(explicitCell, out var b))
            {
                explicitFlag = b;
            }
            else
            {
                error ??= $"Explicit '{Shorten(explicitCell)}' is not true or false";
            }
        }

        var releaseCell = Cell(c.ReleaseDate);
        var (year, releaseDate, dateOk) = ReleaseDates.Parse(releaseCell);
        if (!dateOk)
        {
            error ??= $"{c.ReleaseDateName} '{Shorten(releaseCell)}' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or M/D/YYYY)";
        }

        AudioFeatures? known = null;
        SpotifyAudioFeatures? all = null;
        if (c.HasClusteredFeatures)
        {
            var values = new double?[LibraryColumns.FeatureNames.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ParseDouble(Cell(c.Features[i]), LibraryColumns.FeatureNames[i], ref error);
            }

            if (error is null)
            {
                double? V(string feature) => values[Array.IndexOf(LibraryColumns.FeatureNames, feature)];
                if (V("tempo") is { } t && V("energy") is { } e && V("danceability") is { } d && V("valence") is { } v && V("loudness") is { } l)
                {
                    known = new AudioFeatures(t, e, d, v, l);
                }

                if (values.All(x => x.HasValue))
                {
                    all = new SpotifyAudioFeatures(
                        V("danceability")!.Value, V("energy")!.Value, (int)V("key")!.Value, V("loudness")!.Value, (int)V("mode")!.Value,
                        V("speechiness")!.Value, V("acousticness")!.Value, V("instrumentalness")!.Value, V("liveness")!.Value,
                        V("valence")!.Value, V("tempo")!.Value, (int)V("time_signature")!.Value);
                }
            }
        }

        if (error is not null)
        {
            return new RowOutcome.Bad(error);
        }

        var track = new TrackMetadata
        {
            Id = id,
            Name = name,
            Artists = artists,
            ArtistIds = SplitArtistIds(Cell(c.ArtistIds)),
            Album = album,
            ReleaseYear = year,
            DurationMs = duration,
            Explicit = explicitFlag,
            Popularity = popularity,
            Genres = SplitList(Cell(c.Genres), ',').Distinct(StringComparer.Ordinal).ToList(),
            IsLocal = isLocal,
            KnownFeatures = known,
        };
        var label = c.RecordLabel is null ? null : Cell(c.RecordLabel);
        return new RowOutcome.Good(new LibraryRow(line, track, releaseDate, all, string.IsNullOrEmpty(label) ? null : label));
    }

    private static int? ParseInt(string cell, string column, string rangeName, ref string? error) =>
        NumberCell.Parse(cell, column, ref error, rangeName, whole: true, columnInRangeError: true) is { } d ? (int)d : null;

    private static double? ParseDouble(string cell, string feature, ref string? error) =>
        NumberCell.Parse(cell, LibraryColumns.DisplayName(feature), ref error, feature, whole: feature is "key" or "mode" or "time_signature", columnInRangeError: true);

    private static List<string> SplitList(string cell, char separator)
    {
        if (cell.Length == 0)
        {
            return [];
        }

        var parts = cell.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return [.. parts];
    }

    private static List<string> SplitArtistIds(string cell) =>
        cell.Length == 0
            ? []
            : cell.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.StartsWith("spotify:artist:", StringComparison.OrdinalIgnoreCase) ? p["spotify:artist:".Length..] : p)
                .ToList();

    /// <summary>
    /// A local file's URI is <c>spotify:local:artist:album:title:seconds</c>, URL-encoded with '+' for spaces; it fills
    /// names the row left empty.
    /// </summary>
    private static (string Name, List<string> Artists, string? Album) FillFromLocalUri(string uri, string name, List<string> artists, string? album)
    {
        var parts = uri.Split(':');
        string Part(int i) => parts.Length > i ? Uri.UnescapeDataString(parts[i].Replace('+', ' ')).Trim() : "";
        if (name.Length == 0)
        {
            name = Part(4);
        }

        if (artists.Count == 0 && Part(2) is { Length: > 0 } artist)
        {
            artists = [artist];
        }

        if (string.IsNullOrEmpty(album) && Part(3) is { Length: > 0 } a)
        {
            album = a;
        }

        return (name, artists, album);
    }

    private static string Describe(IReadOnlyList<string> header)
    {
        var names = header.Take(6).Select(h => $"'{Shorten(h.Trim(), 30)}'");
        return header.Count == 0 ? "no columns" : $"{header.Count} columns: {string.Join(", ", names)}{(header.Count > 6 ? ", …" : "")}";
    }

    internal static string Shorten(string s, int max = 40) => s.Length <= max ? s : s[..max] + "…";

    private static LibraryFormatException TooLarge(string fileName, LibraryReadOptions options) =>
        new($"{fileName}: larger than {options.MaxBytes / (1024 * 1024)} MB (the limit for one library file)");

    /// <summary>Stops reading past a byte limit, so a huge upload fails early instead of filling memory.</summary>
    private sealed class LimitedReadStream(Stream inner, long maxBytes, string fileName) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            _read += n;
            if (_read > maxBytes)
            {
                throw new LibraryFormatException($"{fileName}: larger than {maxBytes / (1024 * 1024)} MB (the limit for one library file)");
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
