namespace Recs.Core.Libraries;

/// <summary>Limits for reading a library file, so that an upload cannot exhaust memory.</summary>
public sealed record LibraryReadOptions
{
    /// <summary>The default limits: 64 MB and 100,000 data rows (a real Liked Songs export is ~1 MB per 3,000 rows).</summary>
    public static readonly LibraryReadOptions Default = new();

    /// <summary>Largest file accepted, in bytes.</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most data rows accepted (the header not counted).</summary>
    public int MaxRows { get; init; } = 100_000;
}

/// <summary>
/// The file is not a library export Recs can read (no track-id column, too large, not text). The message names the
/// file and what is wrong; nothing is imported.
/// </summary>
public sealed class LibraryFormatException(string message) : Exception(message);
