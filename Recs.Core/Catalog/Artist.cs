namespace Recs.Core.Catalog;

/// <summary>An artist and its Spotify genres, from enrichment, a library export or an artist → genres table.</summary>
public sealed class Artist
{
    public int Id { get; set; }

    /// <summary>Normalised name (see <see cref="TextKeys"/>): the join key with catalog tracks, unique.</summary>
    public required string NameKey { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Spotify artist id, when known.</summary>
    public string? SpotifyId { get; set; }

    /// <summary>Spotify genres joined with ",", empty when Spotify gave none.</summary>
    public string Genres { get; set; } = "";

    public int? Popularity { get; set; }

    /// <summary>Where the genres came from: "spotify", "export", "artist-table" or "demo".</summary>
    public string Source { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}
