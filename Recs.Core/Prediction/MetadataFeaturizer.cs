using Recs.Core.Catalog;

namespace Recs.Core.Prediction;

/// <summary>
/// Turns a track's metadata into the metadata model's input vector (names in <see cref="FeatureNames"/>, saved as
/// <c>metadata_feature_names.json</c>). Any input may be missing: a missing value is NaN, which the tree learners
/// treat as "unknown". Thread-safe: it only reads its <see cref="FeatureStatistics"/>.
/// </summary>
public sealed class MetadataFeaturizer
{
    /// <summary>File name of the ordered input names in a model version directory.</summary>
    public const string FeatureNamesFileName = "metadata_feature_names.json";

    private static readonly string[] FeatureSuffixes = ["tempo", "energy", "danceability", "valence", "loudness"];

    /// <summary>Title words that carry signal ("live" versions are louder and less danceable, "acoustic" quieter…).</summary>
    internal static readonly (string Name, string[] Words)[] TitleWords =
    [
        ("remix", ["remix", "rmx", "mix"]),
        ("live", ["live", "unplugged"]),
        ("acoustic", ["acoustic"]),
        ("instrumental", ["instrumental"]),
        ("feat", ["feat", "ft", "featuring", "with"]),
        ("remaster", ["remaster", "remastered"]),
        ("edit", ["edit", "radio"]),
        ("version", ["version", "mono", "stereo"]),
        ("demo", ["demo", "session", "sessions"]),
        ("piano", ["piano", "orchestral", "symphony", "strings"]),
        ("christmas", ["christmas", "xmas"]),
        ("slowed", ["slowed", "reverb", "lofi", "lo"]),
    ];

    /// <summary>Title word → bit mask of the <see cref="TitleWords"/> groups it belongs to (one lookup per word, no allocation).</summary>
    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> TitleWordGroups = BuildTitleWordGroups();

    private readonly FeatureStatistics _stats;
    private readonly int _genreWordOffset;

    // Genre word (without its prefix) → its first slot among the top genre words, as List.IndexOf would find it.
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _genreWordSlots;

    // Title and album word → its statistics, looked up by span (no string per word).
    private readonly Dictionary<string, TextTermStat>.AlternateLookup<ReadOnlySpan<char>> _textTerms;

    public MetadataFeaturizer(FeatureStatistics stats)
    {
        _stats = stats;
        var names = new List<string>
        {
            "popularity", "popularity_missing", "release_year", "release_year_missing", "duration", "duration_missing",
            "explicit", "explicit_missing", "artist_count",
        };
        names.AddRange(TitleWords.Select(t => "title_" + t.Name));
        AddFive(names, "catalog_artist_");
        names.Add("catalog_artist_log_count");
        AddFive(names, "table_artist_");
        names.Add("table_artist_log_count");
        AddFive(names, "genre_");
        names.Add("genre_weight");
        names.Add("genre_count");
        AddFive(names, "neighbour_");
        names.Add("neighbour_similarity");
        AddFive(names, "collaborator_");
        AddFive(names, "rule_");
        names.Add("rule_level");
        AddFive(names, "text_");
        names.Add("text_weight");
        _genreWordOffset = names.Count;
        names.AddRange(stats.TopGenreWords.Select(w => "genre_word_" + w[GenreTerms.WordPrefix.Length..]));
        FeatureNames = names;
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var w = 0; w < stats.TopGenreWords.Count; w++)
        {
            if (stats.TopGenreWords[w].StartsWith(GenreTerms.WordPrefix, StringComparison.Ordinal))
            {
                slots.TryAdd(stats.TopGenreWords[w][GenreTerms.WordPrefix.Length..], w);
            }
        }

        _genreWordSlots = slots.GetAlternateLookup<ReadOnlySpan<char>>();
        _textTerms = stats.TextTerms.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The statistics this featurizer reads.</summary>
    public FeatureStatistics Statistics => _stats;

    /// <summary>Ordered input names (the length of every vector).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of inputs.</summary>
    public int Length => FeatureNames.Count;

    /// <summary>
    /// Writes the input vector of <paramref name="track"/> into <paramref name="x"/> and returns what the prediction
    /// will rest on. <see cref="TrackMetadata.KnownFeatures"/> is never read.
    /// </summary>
    public ConfidenceTier Featurize(TrackMetadata track, Span<float> x) => Featurize(track, x, null);

    /// <summary>
    /// As <see cref="Featurize(TrackMetadata, Span{float})"/>, but with <paramref name="ownFeatures"/> taken out of the
    /// artist's catalog mean: evaluating a catalog track must not see the catalog's copy of its own features.
    /// </summary>
    public ConfidenceTier Featurize(TrackMetadata track, Span<float> x, AudioFeatures? ownFeatures) => Featurize(track, x, ownFeatures, false);

    /// <summary>
    /// The full form: <paramref name="hideCatalogArtist"/> makes the main artist look new to the catalog (as most
    /// library artists are), which training uses on masked copies so that the model learns that case too.
    /// </summary>
    internal ConfidenceTier Featurize(TrackMetadata track, Span<float> x, AudioFeatures? ownFeatures, bool hideCatalogArtist)
    {
        if (x.Length != Length)
        {
            throw new ArgumentException($"vector has {x.Length} slots, the featurizer {Length}", nameof(x));
        }

        var i = 0;
        Optional(x, ref i, track.Popularity is { } p ? p / 100f : null);
        Optional(x, ref i, track.ReleaseYear is { } y and > 1800 ? (y - 2000) / 20f : null);
        Optional(x, ref i, track.DurationMs is { } d and > 0 ? d / 240_000f : null);
        Optional(x, ref i, track.Explicit is { } e ? (e ? 1f : 0f) : null);
        x[i++] = track.Artists.Count;

        var normalizedTitle = TextKeys.Normalize(track.Name);
        var title = normalizedTitle.AsSpan();
        var titleGroups = 0;
        foreach (var range in title.Split(' '))
        {
            var word = title[range];
            if (word.Length > 0 && TitleWordGroups.TryGetValue(word, out var groups))
            {
                titleGroups |= groups;
            }
        }

        for (var t = 0; t < TitleWords.Length; t++)
        {
            x[i++] = (titleGroups & (1 << t)) != 0 ? 1f : 0f;
        }

        var artistKey = TextKeys.Normalize(track.PrimaryArtist);
        var catalogArtist = hideCatalogArtist ? null : Without(artistKey.Length > 0 && _stats.CatalogArtists.TryGetValue(artistKey, out var ca) ? ca : null, ownFeatures);
        ArtistStat? ta = null;
        var inTable = artistKey.Length > 0 && _stats.TableArtists.TryGetValue(artistKey, out ta);
        var tableArtist = inTable && ta!.Count > 0 ? ta : null;
        WriteFive(x, ref i, catalogArtist?.Mean);
        x[i++] = catalogArtist is null ? float.NaN : MathF.Log(1 + catalogArtist.Count);
        WriteFive(x, ref i, tableArtist?.Mean);
        x[i++] = tableArtist is null ? float.NaN : MathF.Log(1 + tableArtist.Count);

        var genres = ResolveGenres(track.Genres, artistKey, _stats, useCatalogArtist: !hideCatalogArtist);
        Span<float> genreMean = stackalloc float[AudioFeatures.Count];
        var genreWeight = GenreMean(genres, genreMean);
        WriteFive(x, ref i, genreWeight > 0 ? genreMean : default);
        x[i++] = genreWeight;
        x[i++] = genres.Length;

        // An artist new to the catalog has genre neighbours only through the artist table.
        var neighbour = artistKey.Length > 0 && (inTable || !hideCatalogArtist) && _stats.Neighbours.TryGetValue(artistKey, out var n) ? n : null;
        WriteFive(x, ref i, neighbour?.Mean);
        x[i++] = neighbour?.Similarity ?? float.NaN;

        Span<float> collab = stackalloc float[AudioFeatures.Count];
        var hasCollab = CollaboratorMean(track, collab);
        WriteFive(x, ref i, hasCollab ? collab : default);

        Span<float> rule = stackalloc float[AudioFeatures.Count];
        var level = SimpleRule(catalogArtist, genres, rule);
        WriteFive(x, ref i, rule);
        x[i++] = level;

        Span<float> text = stackalloc float[AudioFeatures.Count];
        var textWeight = TextMean(normalizedTitle, TextKeys.Normalize(track.Album), text);
        WriteFive(x, ref i, textWeight > 0 ? text : default);
        x[i++] = textWeight;

        for (var w = 0; w < _stats.TopGenreWords.Count; w++)
        {
            x[_genreWordOffset + w] = 0;
        }

        if (genres.Length > 0)
        {
            foreach (var g in genres)
            {
                var genre = g.AsSpan();
                foreach (var range in genre.Split(' '))
                {
                    if (_genreWordSlots.TryGetValue(genre[range], out var at))
                    {
                        x[_genreWordOffset + at] = 1;
                    }
                }
            }
        }

        return catalogArtist is not null || tableArtist is not null ? ConfidenceTier.ArtistKnown
            : genres.Length > 0 ? ConfidenceTier.GenresOnly
            : ConfidenceTier.Nothing;
    }

    /// <summary>
    /// The simple rule (DESIGN §7's baseline): the artist's catalog mean, else the mean of its genres' catalog means,
    /// else the global mean.
    /// </summary>
    public AudioFeatures SimpleRule(TrackMetadata track) => SimpleRule(track, null);

    /// <summary>The simple rule with <paramref name="ownFeatures"/> taken out of the artist's catalog mean.</summary>
    public AudioFeatures SimpleRule(TrackMetadata track, AudioFeatures? ownFeatures)
    {
        var artistKey = TextKeys.Normalize(track.PrimaryArtist);
        var catalogArtist = Without(artistKey.Length > 0 && _stats.CatalogArtists.TryGetValue(artistKey, out var ca) ? ca : null, ownFeatures);
        Span<float> rule = stackalloc float[AudioFeatures.Count];
        SimpleRule(catalogArtist, ResolveGenres(track.Genres, artistKey, _stats), rule);
        return new AudioFeatures(rule[0], rule[1], rule[2], rule[3], rule[4]);
    }

    /// <summary>
    /// The normalised genres a track is taken to have: its own (from Spotify or the export), else the artist table's
    /// genres for its main artist, else the genres the catalog knows for that artist.
    /// </summary>
    public static string[] ResolveGenres(IReadOnlyList<string> genres, string artistKey, FeatureStatistics stats) =>
        ResolveGenres(genres, artistKey, stats, true);

    private static string[] ResolveGenres(IReadOnlyList<string> genres, string artistKey, FeatureStatistics stats, bool useCatalogArtist)
    {
        if (genres.Count > 0)
        {
            var own = GenreTerms.NormalizeGenres(genres);
            if (own.Length > 0)
            {
                return own;
            }
        }

        if (artistKey.Length > 0)
        {
            if (stats.TableArtists.TryGetValue(artistKey, out var t) && t.Genres.Length > 0)
            {
                return t.Genres;
            }

            if (useCatalogArtist && stats.CatalogArtists.TryGetValue(artistKey, out var c) && c.Genres.Length > 0)
            {
                return c.Genres;
            }
        }

        return [];
    }

    /// <summary>The artist's mean over its other catalog tracks (null when the track was its only one).</summary>
    private static ArtistStat? Without(ArtistStat? artist, AudioFeatures? own)
    {
        if (artist is null || own is not { } f)
        {
            return artist;
        }

        if (artist.Count <= 1)
        {
            return null;
        }

        var mean = new float[AudioFeatures.Count];
        for (var i = 0; i < AudioFeatures.Count; i++)
        {
            mean[i] = FeatureStatisticsBuilder.IsKnown(f, i)
                ? (float)(((artist.Mean[i] * artist.Count) - f[i]) / (artist.Count - 1))
                : artist.Mean[i];
        }

        return new ArtistStat { Mean = mean, Count = artist.Count - 1, Genres = artist.Genres };
    }

    private int SimpleRule(ArtistStat? catalogArtist, string[] genres, Span<float> rule)
    {
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            rule[f] = float.NaN;
        }

        var level = 2;
        if (catalogArtist is not null)
        {
            catalogArtist.Mean.CopyTo(rule);
            level = 0;
        }
        else if (genres.Length > 0)
        {
            Span<float> sum = stackalloc float[AudioFeatures.Count];
            Span<int> count = stackalloc int[AudioFeatures.Count];
            foreach (var g in genres)
            {
                if (_stats.GenreTerms.TryGetValue(GenreTerms.WholePrefix + g, out var term) && term.CatalogMean is { } m)
                {
                    for (var f = 0; f < AudioFeatures.Count; f++)
                    {
                        if (!float.IsNaN(m[f]))
                        {
                            sum[f] += m[f];
                            count[f]++;
                        }
                    }
                }
            }

            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                if (count[f] > 0)
                {
                    rule[f] = sum[f] / count[f];
                    level = 1;
                }
            }
        }

        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            if (float.IsNaN(rule[f]))
            {
                rule[f] = _stats.GlobalMean[f];
            }
        }

        return level;
    }

    private float GenreMean(string[] genres, Span<float> mean)
    {
        if (genres.Length == 0)
        {
            return 0;
        }

        Span<float> weight = stackalloc float[AudioFeatures.Count];
        mean.Clear();
        var total = 0f;

        // The terms of GenreTerms.Terms in the same order (the sums are order-sensitive), looked up through a
        // reused buffer instead of a new prefixed string per term.
        var lookup = _stats.GenreTerms.GetAlternateLookup<ReadOnlySpan<char>>();
        var buffer = new char[2 + genres.Max(g => g.Length)];
        for (var gi = 0; gi < genres.Length; gi++)
        {
            var g = genres[gi];
            if (Array.IndexOf(genres, g, 0, gi) < 0)
            {
                AddTerm(lookup, buffer, GenreTerms.WholePrefix, g, mean, weight, ref total);
            }

            var genre = g.AsSpan();
            foreach (var range in genre.Split(' '))
            {
                var word = genre[range];
                if (word.Length > 0 && !WordSeenBefore(genres, gi, range.Start.Value, word))
                {
                    AddTerm(lookup, buffer, GenreTerms.WordPrefix, word, mean, weight, ref total);
                }
            }
        }

        FinishMean(mean, weight);
        return total;
    }

    private static void AddTerm(
        Dictionary<string, GenreTermStat>.AlternateLookup<ReadOnlySpan<char>> lookup, char[] buffer, string prefix, ReadOnlySpan<char> text,
        Span<float> mean, Span<float> weight, ref float total)
    {
        prefix.CopyTo(buffer);
        text.CopyTo(buffer.AsSpan(prefix.Length));
        if (!lookup.TryGetValue(buffer.AsSpan(0, prefix.Length + text.Length), out var t))
        {
            return;
        }

        AddTermMean(t.Idf, t.Weight, t.Mean, mean, weight, ref total);
    }

    /// <summary>
    /// Adds a term's mean features to a weighted sum: its TF-IDF weight, shrunk for terms with little evidence
    /// (<paramref name="evidence"/>) behind their mean; <see cref="FinishMean"/> turns the sums into the mean.
    /// </summary>
    private static void AddTermMean(float idf, float evidence, float[] termMean, Span<float> mean, Span<float> weight, ref float total)
    {
        var w = idf * evidence / (evidence + 5f);
        total += w;
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            if (!float.IsNaN(termMean[f]))
            {
                mean[f] += w * termMean[f];
                weight[f] += w;
            }
        }
    }

    /// <summary>Divides the sums of <see cref="AddTermMean"/> by their weights (NaN where no term knew the feature).</summary>
    private static void FinishMean(Span<float> mean, ReadOnlySpan<float> weight)
    {
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            mean[f] = weight[f] > 0 ? mean[f] / weight[f] : float.NaN;
        }
    }

    /// <summary>
    /// Whether <paramref name="word"/> (at <paramref name="start"/> in <paramref name="texts"/>[<paramref name="ti"/>])
    /// already occurred as a word earlier in these texts (a track's genres, or its title and album).
    /// </summary>
    private static bool WordSeenBefore(ReadOnlySpan<string> texts, int ti, int start, ReadOnlySpan<char> word)
    {
        for (var tj = 0; tj <= ti; tj++)
        {
            var text = texts[tj].AsSpan();
            foreach (var range in text.Split(' '))
            {
                if (tj == ti && range.Start.Value >= start)
                {
                    break;
                }

                if (text[range].SequenceEqual(word))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Shorter title and album words ("a", "i", "2") say nothing about a sound.</summary>
    private const int MinTextWordLength = 2;

    /// <summary>The distinct normalised words (two letters or more) of a track's title and album name.</summary>
    internal static void TextWords(TrackMetadata track, HashSet<string> words)
    {
        foreach (var text in (ReadOnlySpan<string?>)[track.Name, track.Album])
        {
            var normalized = TextKeys.Normalize(text);
            foreach (var range in normalized.AsSpan().Split(' '))
            {
                if (range.End.Value - range.Start.Value >= MinTextWordLength)
                {
                    words.Add(normalized[range]);
                }
            }
        }
    }

    /// <summary>
    /// Idf- and evidence-weighted mean of the means of the track's distinct title and album words (as
    /// <see cref="TextWords"/> splits them, both already normalised); returns the total weight.
    /// </summary>
    private float TextMean(string title, string album, Span<float> mean)
    {
        if (_stats.TextTerms.Count == 0)
        {
            return 0;
        }

        Span<float> weight = stackalloc float[AudioFeatures.Count];
        mean.Clear();
        var total = 0f;
        ReadOnlySpan<string> texts = [title, album]; // on the stack: no allocation per track
        for (var part = 0; part < texts.Length; part++)
        {
            var text = texts[part].AsSpan();
            foreach (var range in text.Split(' '))
            {
                var word = text[range];
                if (word.Length < MinTextWordLength || WordSeenBefore(texts, part, range.Start.Value, word) || !_textTerms.TryGetValue(word, out var t))
                {
                    continue;
                }

                AddTermMean(t.Idf, t.Artists, t.Mean, mean, weight, ref total);
            }
        }

        FinishMean(mean, weight);
        return total;
    }

    private bool CollaboratorMean(TrackMetadata track, Span<float> mean)
    {
        if (track.Artists.Count < 2)
        {
            return false;
        }

        Span<int> count = stackalloc int[AudioFeatures.Count];
        mean.Clear();
        var any = false;
        for (var a = 1; a < track.Artists.Count; a++)
        {
            var key = TextKeys.Normalize(track.Artists[a]);
            var stat = key.Length == 0 ? null
                : _stats.CatalogArtists.TryGetValue(key, out var c) ? c
                : _stats.TableArtists.TryGetValue(key, out var t) && t.Count > 0 ? t : null;
            if (stat is null)
            {
                continue;
            }

            any = true;
            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                if (!float.IsNaN(stat.Mean[f]))
                {
                    mean[f] += stat.Mean[f];
                    count[f]++;
                }
            }
        }

        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            mean[f] = count[f] > 0 ? mean[f] / count[f] : float.NaN;
        }

        return any;
    }

    private static Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> BuildTitleWordGroups()
    {
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var t = 0; t < TitleWords.Length; t++)
        {
            foreach (var word in TitleWords[t].Words)
            {
                groups[word] = groups.GetValueOrDefault(word) | (1 << t);
            }
        }

        return groups.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private static void Optional(Span<float> x, ref int i, float? value)
    {
        x[i++] = value ?? float.NaN;
        x[i++] = value is null ? 1f : 0f;
    }

    private static void WriteFive(Span<float> x, ref int i, ReadOnlySpan<float> values)
    {
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            x[i++] = values.IsEmpty ? float.NaN : values[f];
        }
    }

    private static void AddFive(List<string> names, string prefix) => names.AddRange(FeatureSuffixes.Select(s => prefix + s));
}
