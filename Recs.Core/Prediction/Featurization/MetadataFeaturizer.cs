using Recs.Core.Catalog;

namespace Recs.Core.Prediction.Featurization;

/// <summary>
/// Turns a track's metadata into the metadata model's input vector (names in <see cref="FeatureNames"/>, saved as
/// <c>metadata_feature_names.json</c>). Any input may be missing: a missing value is NaN, which the tree learners
/// treat as "unknown". Thread-safe: it only reads its <see cref="FeatureStatistics"/>.
/// <para>
/// The vector is one table of <see cref="Input"/>s: each entry names its slots and writes exactly those slots (it is
/// handed only its own slice), so a name and its value cannot drift apart by reordering or renaming an entry.
/// What several entries read (the artist's statistics, the resolved genres, the means) is worked out once per track
/// into a <see cref="TrackInputs"/> before the entries run.
/// </para>
/// </summary>
public sealed class MetadataFeaturizer
{
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

    /// <summary>The inputs every model has, in vector order; the genre-word inputs of the statistics follow them.</summary>
    private static readonly Input[] FixedInputs =
    [
        Optional("popularity", t => t.Popularity is { } p ? p / 100f : null),
        Optional("release_year", t => t.ReleaseYear is { } y and > 1800 ? (y - 2000) / 20f : null),
        Optional("duration", t => t.DurationMs is { } d and > 0 ? d / 240_000f : null),
        Optional("explicit", t => t.Explicit is { } e ? (e ? 1f : 0f) : null),
        One("artist_count", (in TrackInputs t) => t.Track.Artists.Count),
        new([.. TitleWords.Select(w => "title_" + w.Name)], (in TrackInputs t, Span<float> slots) =>
        {
            for (var g = 0; g < slots.Length; g++)
            {
                slots[g] = (t.TitleGroups & (1 << g)) != 0 ? 1f : 0f;
            }
        }),
        Five("catalog_artist_", (in TrackInputs t) => t.CatalogArtist?.Mean),
        One("catalog_artist_log_count", (in TrackInputs t) => t.CatalogArtist is { } a ? MathF.Log(1 + a.Count) : float.NaN),
        Five("table_artist_", (in TrackInputs t) => t.TableArtist?.Mean),
        One("table_artist_log_count", (in TrackInputs t) => t.TableArtist is { } a ? MathF.Log(1 + a.Count) : float.NaN),
        Five("genre_", (in TrackInputs t) => t.GenreWeight > 0 ? t.GenreMean : default),
        One("genre_weight", (in TrackInputs t) => t.GenreWeight),
        One("genre_count", (in TrackInputs t) => t.Genres.Length),
        Five("neighbour_", (in TrackInputs t) => t.Neighbour?.Mean),
        One("neighbour_similarity", (in TrackInputs t) => t.Neighbour?.Similarity ?? float.NaN),
        Five("collaborator_", (in TrackInputs t) => t.HasCollaborators ? t.CollaboratorMean : default),
        Five("rule_", (in TrackInputs t) => t.Rule),
        One("rule_level", (in TrackInputs t) => t.RuleLevel),
        Five("text_", (in TrackInputs t) => t.TextWeight > 0 ? t.TextMean : default),
        One("text_weight", (in TrackInputs t) => t.TextWeight),
    ];

    private readonly FeatureStatistics _stats;

    // The table of this featurizer: the fixed inputs, then one multi-hot input per top genre word.
    private readonly Input[] _inputs;

    // Genre word (without its prefix) → its first slot among the top genre words, as List.IndexOf would find it.
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _genreWordSlots;

    // Title and album word → its statistics, looked up by span (no string per word).
    private readonly Dictionary<string, TextTermStat>.AlternateLookup<ReadOnlySpan<char>> _textTerms;

    public MetadataFeaturizer(FeatureStatistics stats)
    {
        _stats = stats;
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
        _inputs = [.. FixedInputs, new([.. stats.TopGenreWords.Select(w => "genre_word_" + w[GenreTerms.WordPrefix.Length..])], WriteGenreWords)];
        FeatureNames = [.. _inputs.SelectMany(input => input.Names)];
    }

    /// <summary>The statistics this featurizer reads.</summary>
    public FeatureStatistics Statistics => _stats;

    /// <summary>Ordered input names (the length of every vector), as the entries of the input table name their slots.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of inputs.</summary>
    public int Length => FeatureNames.Count;

    /// <summary>The input table, in vector order (tests check that each entry writes exactly its own named slots).</summary>
    internal IReadOnlyList<Input> Inputs => _inputs;

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

        Span<float> genreMean = stackalloc float[AudioFeatures.Count];
        Span<float> collaboratorMean = stackalloc float[AudioFeatures.Count];
        Span<float> rule = stackalloc float[AudioFeatures.Count];
        Span<float> textMean = stackalloc float[AudioFeatures.Count];
        var inputs = Describe(track, ownFeatures, hideCatalogArtist, genreMean, collaboratorMean, rule, textMean);
        var offset = 0;
        foreach (var input in _inputs)
        {
            input.Write(in inputs, x.Slice(offset, input.Names.Length));
            offset += input.Names.Length;
        }

        return inputs.CatalogArtist is not null || inputs.TableArtist is not null ? ConfidenceTier.ArtistKnown
            : inputs.Genres.Length > 0 ? ConfidenceTier.GenresOnly
            : ConfidenceTier.Nothing;
    }

    /// <summary>Works out once what the inputs of <paramref name="track"/> read; the four spans receive the means.</summary>
    internal TrackInputs Describe(
        TrackMetadata track, AudioFeatures? ownFeatures, bool hideCatalogArtist,
        Span<float> genreMean, Span<float> collaboratorMean, Span<float> rule, Span<float> textMean)
    {
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

        var artistKey = TextKeys.Normalize(track.PrimaryArtist);
        var catalogArtist = hideCatalogArtist ? null : Without(artistKey.Length > 0 && _stats.CatalogArtists.TryGetValue(artistKey, out var ca) ? ca : null, ownFeatures);
        ArtistStat? ta = null;
        var inTable = artistKey.Length > 0 && _stats.TableArtists.TryGetValue(artistKey, out ta);
        var genres = _stats.ResolveGenres(track.Genres, artistKey, useCatalogArtist: !hideCatalogArtist);
        return new TrackInputs
        {
            Track = track,
            TitleGroups = titleGroups,
            CatalogArtist = catalogArtist,
            TableArtist = inTable && ta!.Count > 0 ? ta : null,
            Genres = genres,
            GenreMean = genreMean,
            GenreWeight = GenreMean(genres, genreMean),
            // An artist new to the catalog has genre neighbours only through the artist table.
            Neighbour = artistKey.Length > 0 && (inTable || !hideCatalogArtist) && _stats.Neighbours.TryGetValue(artistKey, out var n) ? n : null,
            CollaboratorMean = collaboratorMean,
            HasCollaborators = CollaboratorMean(track, collaboratorMean),
            Rule = rule,
            RuleLevel = SimpleRule(catalogArtist, genres, rule),
            TextMean = textMean,
            TextWeight = TextMean(normalizedTitle, TextKeys.Normalize(track.Album), textMean),
        };
    }

    /// <summary>The multi-hot genre-word inputs: 1 for each top genre word among the words of the track's genres.</summary>
    private void WriteGenreWords(in TrackInputs t, Span<float> slots)
    {
        slots.Clear();
        foreach (var g in t.Genres)
        {
            var genre = g.AsSpan();
            foreach (var range in genre.Split(' '))
            {
                if (_genreWordSlots.TryGetValue(genre[range], out var at))
                {
                    slots[at] = 1;
                }
            }
        }
    }

    /// <summary>
    /// The simple rule (docs/contracts.md §Evaluation): the artist's catalog mean, else the mean of its genres' catalog means,
    /// else the global mean.
    /// </summary>
    public AudioFeatures SimpleRule(TrackMetadata track) => SimpleRule(track, null);

    /// <summary>The simple rule with <paramref name="ownFeatures"/> taken out of the artist's catalog mean.</summary>
    public AudioFeatures SimpleRule(TrackMetadata track, AudioFeatures? ownFeatures)
    {
        var artistKey = TextKeys.Normalize(track.PrimaryArtist);
        var catalogArtist = Without(artistKey.Length > 0 && _stats.CatalogArtists.TryGetValue(artistKey, out var ca) ? ca : null, ownFeatures);
        Span<float> rule = stackalloc float[AudioFeatures.Count];
        SimpleRule(catalogArtist, _stats.ResolveGenres(track.Genres, artistKey), rule);
        return new AudioFeatures(rule[0], rule[1], rule[2], rule[3], rule[4]);
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
            mean[i] = FeatureStatistics.IsKnown(f, i)
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

    /// <summary>
    /// Idf- and evidence-weighted mean of the means of the track's distinct title and album words (as
    /// <see cref="TextWords.Add"/> splits them, both already normalised); returns the total weight.
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
                if (word.Length < TextWords.MinLength || WordSeenBefore(texts, part, range.Start.Value, word) || !_textTerms.TryGetValue(word, out var t))
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

    /// <summary>A value and its "missing" flag: <c>name</c> (NaN when missing) and <c>name_missing</c> (1 when missing).</summary>
    private static Input Optional(string name, Func<TrackMetadata, float?> value) =>
        new([name, name + "_missing"], (in TrackInputs t, Span<float> slots) =>
        {
            var v = value(t.Track);
            slots[0] = v ?? float.NaN;
            slots[1] = v is null ? 1f : 0f;
        });

    private static Input One(string name, OneValue value) =>
        new([name], (in TrackInputs t, Span<float> slots) => slots[0] = value(in t));

    /// <summary>Five means, one per audio feature (<c>prefix + tempo</c> … <c>prefix + loudness</c>); empty means all NaN.</summary>
    private static Input Five(string prefix, FiveValues values) =>
        new([.. FeatureSuffixes.Select(s => prefix + s)], (in TrackInputs t, Span<float> slots) =>
        {
            var v = values(in t);
            for (var f = 0; f < slots.Length; f++)
            {
                slots[f] = v.IsEmpty ? float.NaN : v[f];
            }
        });

    private delegate float OneValue(in TrackInputs track);

    private delegate ReadOnlySpan<float> FiveValues(in TrackInputs track);

    /// <summary>Writes an input's slots (exactly <see cref="Input.Names"/>.Length of them, its own slice of the vector).</summary>
    internal delegate void InputWriter(in TrackInputs track, Span<float> slots);

    /// <summary>One entry of the input table: the names of its slots and the code that writes them.</summary>
    internal sealed record Input(string[] Names, InputWriter Write);

    /// <summary>What a track's inputs read, worked out once per track (the means live in the caller's stack).</summary>
    internal ref struct TrackInputs
    {
        public TrackMetadata Track;
        public int TitleGroups;
        public ArtistStat? CatalogArtist;
        public ArtistStat? TableArtist;
        public string[] Genres;
        public Span<float> GenreMean;
        public float GenreWeight;
        public NeighbourStat? Neighbour;
        public Span<float> CollaboratorMean;
        public bool HasCollaborators;
        public Span<float> Rule;
        public int RuleLevel;
        public Span<float> TextMean;
        public float TextWeight;
    }
}
