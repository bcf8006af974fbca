using System.Text.Json;
using System.Text.Json.Serialization;
using Recs.Core.Catalog;

namespace Recs.Core.Prediction.Featurization;

/// <summary>
/// What the metadata featurizer knows about the catalog and the artist table: per-artist and per-genre mean
/// features, genre-neighbour means, and the global mean. Built from training data by
/// <see cref="FeatureStatisticsBuilder"/>, saved next to the models (<c>ModelArtifacts</c> names the file).
/// </summary>
public sealed class FeatureStatistics
{
    /// <summary>Mean of each feature over the training catalog (tempo over detected tempos only).</summary>
    public float[] GlobalMean { get; set; } = new float[AudioFeatures.Count];

    /// <summary>Standard deviation of each feature over the training catalog.</summary>
    public float[] GlobalStd { get; set; } = new float[AudioFeatures.Count];

    /// <summary>Catalog artists by normalised name (main artist of a track).</summary>
    public Dictionary<string, ArtistStat> CatalogArtists { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Artist-table artists by normalised name.</summary>
    public Dictionary<string, ArtistStat> TableArtists { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Genre terms (<c>g:whole genre</c> and <c>w:word</c>) with their idf and mean features.</summary>
    public Dictionary<string, GenreTermStat> GenreTerms { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Genre-neighbour mean features per artist (TF-IDF cosine over genre sets, top k).</summary>
    public Dictionary<string, NeighbourStat> Neighbours { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Words of track titles and album names ("sleep", "live", "unplugged", "remix", "lullaby"…) used by at least
    /// <see cref="TextTermStat.MinArtists"/> different artists, with mean features in which every artist counts once.
    /// </summary>
    public Dictionary<string, TextTermStat> TextTerms { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The word terms that get a multi-hot input of their own, most common first.</summary>
    public List<string> TopGenreWords { get; set; } = [];

    /// <summary>Whether <paramref name="features"/> has a value for feature <paramref name="f"/> (finite; tempo detected).</summary>
    public static bool IsKnown(AudioFeatures features, int f) =>
        double.IsFinite(features[f]) && (f != 0 || features.HasTempo);

    /// <summary>
    /// The normalised genres a track is taken to have: its own (from Spotify or the export), else the artist table's
    /// genres for its main artist, else (unless <paramref name="useCatalogArtist"/> is false) the genres the catalog
    /// knows for that artist.
    /// </summary>
    public string[] ResolveGenres(IReadOnlyList<string> genres, string artistKey, bool useCatalogArtist = true)
    {
        if (genres.Count > 0)
        {
            var own = Featurization.GenreTerms.NormalizeGenres(genres);
            if (own.Length > 0)
            {
                return own;
            }
        }

        if (artistKey.Length > 0)
        {
            if (TableArtists.TryGetValue(artistKey, out var t) && t.Genres.Length > 0)
            {
                return t.Genres;
            }

            if (useCatalogArtist && CatalogArtists.TryGetValue(artistKey, out var c) && c.Genres.Length > 0)
            {
                return c.Genres;
            }
        }

        return [];
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // NaN marks "no value" (e.g. the tempo of an artist whose tempos were all undetected).
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the statistics as JSON.</summary>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, this, JsonOptions);
    }

    /// <summary>Reads statistics written by <see cref="Save"/>.</summary>
    public static FeatureStatistics Load(string path)
    {
        using var stream = File.OpenRead(path);
        var stats = JsonSerializer.Deserialize<FeatureStatistics>(stream, JsonOptions)
            ?? throw new InvalidDataException($"{path}: empty featurizer statistics");
        // Dictionaries come back with the default comparer; ordinal is what the builder used.
        stats.CatalogArtists = new(stats.CatalogArtists, StringComparer.Ordinal);
        stats.TableArtists = new(stats.TableArtists, StringComparer.Ordinal);
        stats.GenreTerms = new(stats.GenreTerms, StringComparer.Ordinal);
        stats.Neighbours = new(stats.Neighbours, StringComparer.Ordinal);
        stats.TextTerms = new(stats.TextTerms, StringComparer.Ordinal);
        return stats;
    }
}

/// <summary>Mean features of an artist's tracks (NaN for a feature with no value), how many, and its genres.</summary>
public sealed class ArtistStat
{
    public float[] Mean { get; set; } = new float[AudioFeatures.Count];
    public int Count { get; set; }

    /// <summary>The artist's genres (Spotify genres, else catalog labels), possibly empty.</summary>
    public string[] Genres { get; set; } = [];
}

/// <summary>A genre term: its inverse document frequency over artists and its mean features.</summary>
public sealed class GenreTermStat
{
    public float Idf { get; set; }
    public float[] Mean { get; set; } = new float[AudioFeatures.Count];

    /// <summary>Evidence behind <see cref="Mean"/> (tracks plus table artists).</summary>
    public float Weight { get; set; }

    /// <summary>Mean features of catalog tracks carrying this whole genre (the simple rule's genre mean), when any.</summary>
    public float[]? CatalogMean { get; set; }
}

/// <summary>A title or album word: the mean over the artists using it of their mean features on tracks carrying it.</summary>
public sealed class TextTermStat
{
    /// <summary>Fewer artists than this and a word says more about one artist than about a sound.</summary>
    public const int MinArtists = 3;

    public float[] Mean { get; set; } = new float[AudioFeatures.Count];

    /// <summary>How many different artists used the word.</summary>
    public int Artists { get; set; }

    /// <summary>Inverse document frequency over tracks: rare words weigh more than "the" or "love".</summary>
    public float Idf { get; set; }
}

/// <summary>Similarity- and count-weighted mean features of an artist's genre neighbours.</summary>
public sealed class NeighbourStat
{
    public float[] Mean { get; set; } = new float[AudioFeatures.Count];

    /// <summary>Mean cosine similarity of the neighbours used.</summary>
    public float Similarity { get; set; }
}
