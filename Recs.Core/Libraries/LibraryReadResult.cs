namespace Recs.Core.Libraries;

/// <summary>
/// A library file read into tracks (Exportify CSV and its variants, docs/contracts.md §CLI). Bad rows are reported with their
/// line number and left out; good rows are kept.
/// </summary>
/// <param name="Tracks">The good rows, in file order.</param>
/// <param name="RowsRead">Data rows read (the header not counted).</param>
/// <param name="Errors">Rejected rows.</param>
/// <param name="HasAudioFeatures">True when the file carries audio-feature columns.</param>
public sealed record LibraryReadResult(IReadOnlyList<TrackMetadata> Tracks, int RowsRead, IReadOnlyList<RowError> Errors, bool HasAudioFeatures)
{
    /// <summary>
    /// Rows left out that are not errors: Exportify writes an empty row ("undefined" names, no id) for an item Spotify
    /// no longer serves. Shown to the user as information, not as a problem with the file.
    /// </summary>
    public IReadOnlyList<RowError> Skipped { get; init; } = [];
}
