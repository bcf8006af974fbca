namespace Recs.Core.Libraries;

/// <summary>
/// One good row of a library export with everything the file said about it: the <see cref="TrackMetadata"/> used for
/// clustering plus what the catalog import keeps (the exact release date, all twelve audio features).
/// </summary>
/// <param name="Line">Line of the row as an editor shows it (the header is line 1).</param>
/// <param name="Track">The track's metadata (and its five clustered features when the file has them).</param>
/// <param name="ReleaseDate">Release date as ISO text with the precision the file gave ("2013", "2013-06", "2013-06-25"), or null when unknown.</param>
/// <param name="AllFeatures">All of Spotify's audio features, when every one of them is in the row.</param>
/// <param name="RecordLabel">The record label, when the export has it.</param>
public sealed record LibraryRow(int Line, TrackMetadata Track, string? ReleaseDate, SpotifyAudioFeatures? AllFeatures, string? RecordLabel);

/// <summary>Every row of a library file: the good ones in full detail, the rejected ones and the skipped ones.</summary>
/// <param name="Rows">Good rows in file order.</param>
/// <param name="RowsRead">Data rows read (the header not counted).</param>
/// <param name="Errors">Rejected rows with line and reason.</param>
/// <param name="Skipped">Rows that are not tracks at all (Exportify writes an empty row for an item Spotify no longer serves).</param>
/// <param name="HasAudioFeatures">True when the file has the five clustered audio-feature columns.</param>
public sealed record LibraryReadDetail(IReadOnlyList<LibraryRow> Rows, int RowsRead, IReadOnlyList<RowError> Errors, IReadOnlyList<RowError> Skipped, bool HasAudioFeatures)
{
    /// <summary>The shape the clustering and the listener use.</summary>
    public LibraryReadResult ToResult() =>
        new(Rows.Select(r => r.Track).ToList(), RowsRead, Errors, HasAudioFeatures) { Skipped = Skipped };
}
