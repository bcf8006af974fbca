namespace Recs.Core;

/// <summary>A rejected input row: <paramref name="Line"/> is the line as an editor shows it (the header is line 1).</summary>
public sealed record RowError(int Line, string Message);
