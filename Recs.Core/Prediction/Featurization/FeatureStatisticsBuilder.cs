using Recs.Core.Catalog;

namespace Recs.Core.Prediction.Featurization;

/// <summary>Settings of the statistics behind the metadata feature vector.</summary>
/// <param name="Neighbours">Genre neighbours per artist (k).</param>
/// <param name="TopGenreWords">Genre words that get a multi-hot input each.</param>
public sealed record FeatureStatisticsOptions(int Neighbours = 25, int TopGenreWords = 20);

/// <summary>
/// The artists Recs knows with their genre sets, the genre terms' idf, and each artist's top-k genre neighbours
/// (TF-IDF cosine). Depends on genres only, never on audio features, so it is built once per training run and shared
/// by the out-of-fold statistics.
/// </summary>
public sealed class GenreIndex
{
    internal Dictionary<string, ArtistStat> TableArtists { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, string[]> CatalogArtistGenres { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, float> Idf { get; } = new(StringComparer.Ordinal);
    internal string[] Universe { get; init; } = [];
    internal (int[] Index, float[] Similarity)[] NeighbourLists { get; init; } = [];
    internal List<string> TopGenreWords { get; init; } = [];

    /// <summary>The artist table's contribution to each genre term's mean (fold-independent, so computed once).</summary>
    internal Dictionary<string, (double[] Sum, double[] Weight, int Tracks, float TotalWeight)> TableTerms { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Builds <see cref="FeatureStatistics"/> from training data. Audio features enter only through means over a given
/// set of examples, so out-of-fold statistics are the same call on the other folds' examples.
/// </summary>
public static class FeatureStatisticsBuilder
{
    /// <summary>The genre index over the artist table and the catalog's artists.</summary>
    public static GenreIndex BuildIndex(TrainingData data, FeatureStatisticsOptions options)
    {
        var table = new Dictionary<string, ArtistStat>(StringComparer.Ordinal);
        foreach (var a in data.Artists)
        {
            var key = TextKeys.Normalize(a.Name);
            if (key.Length == 0 || table.ContainsKey(key))
            {
                continue;
            }

            var mean = new float[AudioFeatures.Count];
            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                mean[f] = a.Mean is { } m && FeatureStatistics.IsKnown(m, f) ? (float)m[f] : float.NaN;
            }

            table[key] = new ArtistStat { Mean = mean, Count = a.Mean is null ? 0 : Math.Max(1, a.Count), Genres = GenreTerms.NormalizeGenres(a.Genres) };
        }

        var catalogGenres = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var catalogHasValue = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in data.Examples)
        {
            var key = TextKeys.Normalize(e.Metadata.PrimaryArtist);
            if (key.Length == 0)
            {
                continue;
            }

            catalogHasValue.Add(key);
            if (!catalogGenres.TryGetValue(key, out var list))
            {
                catalogGenres[key] = list = [];
            }

            foreach (var g in GenreTerms.NormalizeGenres(e.Metadata.Genres.Count > 0 ? e.Metadata.Genres : e.CatalogGenres))
            {
                if (!list.Contains(g))
                {
                    list.Add(g);
                }
            }
        }

        // The universe: every artist with genres. Its genres: the table's (Spotify's) first, else the catalog's.
        var universe = new List<string>();
        var universeGenres = new List<string[]>();
        foreach (var (key, stat) in table)
        {
            var genres = stat.Genres.Length > 0 ? stat.Genres : catalogGenres.TryGetValue(key, out var cg) ? cg.ToArray() : [];
            if (genres.Length > 0)
            {
                universe.Add(key);
                universeGenres.Add(genres);
            }
        }

        foreach (var (key, genres) in catalogGenres)
        {
            if (!table.ContainsKey(key) && genres.Count > 0)
            {
                universe.Add(key);
                universeGenres.Add(genres.ToArray());
            }
        }

        var terms = universeGenres.Select(GenreTerms.Terms).ToArray();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in terms.SelectMany(t => t))
        {
            df[t] = df.GetValueOrDefault(t) + 1;
        }

        var n = Math.Max(1, universe.Count);
        var idf = df.ToDictionary(p => p.Key, p => (float)Math.Log((1.0 + n) / (1.0 + p.Value)) + 1f, StringComparer.Ordinal);
        var hasValue = universe.Select(k => (table.TryGetValue(k, out var s) && s.Count > 0) || catalogHasValue.Contains(k)).ToArray();
        var lists = ComputeNeighbours(terms, idf, hasValue, options.Neighbours);

        var topWords = df.Where(p => p.Key.StartsWith(GenreTerms.WordPrefix, StringComparison.Ordinal))
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(options.TopGenreWords).Select(p => p.Key).ToList();

        var index = new GenreIndex { Universe = universe.ToArray(), NeighbourLists = lists, TopGenreWords = topWords };
        foreach (var (k, v) in table)
        {
            index.TableArtists[k] = v;
        }

        foreach (var (k, v) in catalogGenres)
        {
            index.CatalogArtistGenres[k] = v.ToArray();
        }

        foreach (var (k, v) in idf)
        {
            index.Idf[k] = v;
        }

        var tableTerms = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        foreach (var stat in table.Values)
        {
            if (stat.Count == 0 || stat.Genres.Length == 0)
            {
                continue;
            }

            var w = 1 + (float)Math.Log(stat.Count);
            var features = ToFeatures(stat.Mean);
            foreach (var t in GenreTerms.Terms(stat.Genres))
            {
                Get(tableTerms, t).Add(features, w);
            }
        }

        foreach (var (term, acc) in tableTerms)
        {
            index.TableTerms[term] = acc.Export();
        }

        return index;
    }

    /// <summary>Statistics over <paramref name="examples"/> (all of the training set, or the other folds' part of it).</summary>
    public static FeatureStatistics Build(IReadOnlyList<TrainingExample> examples, GenreIndex index)
    {
        var stats = new FeatureStatistics
        {
            TableArtists = index.TableArtists,
            TopGenreWords = index.TopGenreWords,
        };

        // Global mean and spread.
        var sum = new double[AudioFeatures.Count];
        var sumSq = new double[AudioFeatures.Count];
        var cnt = new int[AudioFeatures.Count];
        foreach (var e in examples)
        {
            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                if (FeatureStatistics.IsKnown(e.Features, f))
                {
                    sum[f] += e.Features[f];
                    sumSq[f] += e.Features[f] * e.Features[f];
                    cnt[f]++;
                }
            }
        }

        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            var mean = cnt[f] > 0 ? sum[f] / cnt[f] : 0;
            stats.GlobalMean[f] = (float)mean;
            stats.GlobalStd[f] = cnt[f] > 1 ? (float)Math.Sqrt(Math.Max(1e-12, (sumSq[f] / cnt[f]) - (mean * mean))) : 1f;
        }

        // Catalog artists: mean over their tracks (main artist).
        var artistAcc = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        foreach (var e in examples)
        {
            var key = TextKeys.Normalize(e.Metadata.PrimaryArtist);
            if (key.Length == 0)
            {
                continue;
            }

            if (!artistAcc.TryGetValue(key, out var acc))
            {
                artistAcc[key] = acc = new Accumulator();
            }

            acc.Add(e.Features, 1);
        }

        foreach (var (key, acc) in artistAcc)
        {
            stats.CatalogArtists[key] = new ArtistStat
            {
                Mean = acc.Mean(),
                Count = acc.Tracks,
                Genres = index.CatalogArtistGenres.TryGetValue(key, out var g) ? g : [],
            };
        }

        // Genre terms: catalog tracks (weight 1 each) and table artists (weight grows with their track count).
        var termAcc = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        var wholeCatalogAcc = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        foreach (var e in examples)
        {
            var genres = stats.ResolveGenres(TrainingGenres(e), TextKeys.Normalize(e.Metadata.PrimaryArtist));
            foreach (var t in GenreTerms.Terms(genres))
            {
                Get(termAcc, t).Add(e.Features, 1);
            }

            foreach (var g in genres)
            {
                Get(wholeCatalogAcc, GenreTerms.WholePrefix + g).Add(e.Features, 1);
            }
        }

        foreach (var (term, part) in index.TableTerms)
        {
            Get(termAcc, term).Merge(part);
        }

        foreach (var (term, acc) in termAcc)
        {
            stats.GenreTerms[term] = new GenreTermStat
            {
                Idf = index.Idf.GetValueOrDefault(term, 1f),
                Mean = acc.Mean(),
                Weight = acc.Weight,
                CatalogMean = wholeCatalogAcc.TryGetValue(term, out var c) ? c.Mean() : null,
            };
        }

        BuildTextTerms(examples, stats);

        // Genre neighbours: their means (the table's, else the catalog's) weighted by similarity and evidence.
        for (var u = 0; u < index.Universe.Length; u++)
        {
            var (idx, sim) = index.NeighbourLists[u];
            var acc = new Accumulator();
            var simSum = 0f;
            var used = 0;
            for (var j = 0; j < idx.Length; j++)
            {
                var key = index.Universe[idx[j]];
                ArtistStat? value = index.TableArtists.TryGetValue(key, out var ts) && ts.Count > 0 ? ts
                    : stats.CatalogArtists.TryGetValue(key, out var cs) ? cs : null;
                if (value is null)
                {
                    continue;
                }

                acc.Add(ToFeatures(value.Mean), sim[j] * (float)Math.Log(1 + value.Count));
                simSum += sim[j];
                used++;
            }

            if (used > 0)
            {
                stats.Neighbours[index.Universe[u]] = new NeighbourStat { Mean = acc.Mean(), Similarity = simSum / used };
            }
        }

        return stats;
    }

    /// <summary>
    /// Title and album words: per word, each artist's mean over its tracks carrying the word, then the mean of those
    /// artist means — so that one artist's album name cannot pass for a sound (and cannot smuggle that artist's
    /// features into an artist-grouped evaluation).
    /// </summary>
    private static void BuildTextTerms(IReadOnlyList<TrainingExample> examples, FeatureStatistics stats)
    {
        var perWord = new Dictionary<string, Dictionary<string, Accumulator>>(StringComparer.Ordinal);
        var tracksPerWord = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in examples)
        {
            var artist = TextKeys.Normalize(e.Metadata.PrimaryArtist);
            if (artist.Length == 0)
            {
                continue;
            }

            words.Clear();
            TextWords.Add(e.Metadata, words);
            foreach (var w in words)
            {
                if (!perWord.TryGetValue(w, out var artists))
                {
                    perWord[w] = artists = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
                }

                Get(artists, artist).Add(e.Features, 1);
                tracksPerWord[w] = tracksPerWord.GetValueOrDefault(w) + 1;
            }
        }

        foreach (var (word, artists) in perWord)
        {
            if (artists.Count < TextTermStat.MinArtists)
            {
                continue;
            }

            var mean = new Accumulator();
            foreach (var acc in artists.Values)
            {
                mean.Add(ToFeatures(acc.Mean()), 1);
            }

            stats.TextTerms[word] = new TextTermStat
            {
                Mean = mean.Mean(),
                Artists = artists.Count,
                Idf = (float)Math.Log(1 + ((double)examples.Count / tracksPerWord[word])),
            };
        }
    }

    /// <summary>
    /// The genres a catalog track would carry as a library track: its Spotify genres, else its catalog labels
    /// (Kaggle's <c>track_genre</c>, playlist genres). The labels stand in for the genres a library export carries.
    /// </summary>
    internal static IReadOnlyList<string> TrainingGenres(TrainingExample e) =>
        e.Metadata.Genres.Count > 0 ? e.Metadata.Genres : e.CatalogGenres;

    private static AudioFeatures ToFeatures(float[] mean) => new(mean[0], mean[1], mean[2], mean[3], mean[4]);

    private static Accumulator Get(Dictionary<string, Accumulator> map, string key)
    {
        if (!map.TryGetValue(key, out var acc))
        {
            map[key] = acc = new Accumulator();
        }

        return acc;
    }

    private static (int[] Index, float[] Similarity)[] ComputeNeighbours(List<string>[] terms, Dictionary<string, float> idf, bool[] hasValue, int k)
    {
        var n = terms.Length;
        var termIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var vectors = new (int Term, float Weight)[n][];
        for (var i = 0; i < n; i++)
        {
            var v = terms[i].Select(t => (Term: termIds.TryGetValue(t, out var id) ? id : termIds[t] = termIds.Count, Weight: idf[t])).ToArray();
            var norm = (float)Math.Sqrt(v.Sum(x => x.Weight * x.Weight));
            vectors[i] = v.Select(x => (x.Term, x.Weight / norm)).ToArray();
        }

        // Postings over candidates (artists with a value) only.
        var postings = new List<(int Artist, float Weight)>[termIds.Count];
        for (var i = 0; i < n; i++)
        {
            if (!hasValue[i])
            {
                continue;
            }

            foreach (var (t, w) in vectors[i])
            {
                (postings[t] ??= []).Add((i, w));
            }
        }

        var result = new (int[], float[])[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) },
            () => (Scores: new float[n], Touched: new List<int>()),
            (i, loop, local) =>
            {
                var (scores, touched) = local;
                foreach (var (t, w) in vectors[i])
                {
                    if (postings[t] is not { } list)
                    {
                        continue;
                    }

                    foreach (var (a, wa) in list)
                    {
                        if (scores[a] == 0)
                        {
                            touched.Add(a);
                        }

                        scores[a] += w * wa;
                    }
                }

                // A min-heap of the k best so far: most candidates lose to its weakest and never touch the heap.
                var best = new PriorityQueue<int, float>(k + 1);
                foreach (var a in touched)
                {
                    if (a == i)
                    {
                        continue;
                    }

                    if (best.Count < k)
                    {
                        best.Enqueue(a, scores[a]);
                    }
                    else if (best.TryPeek(out _, out var weakest) && scores[a] > weakest)
                    {
                        best.DequeueEnqueue(a, scores[a]);
                    }
                }

                var idx = new int[best.Count];
                var sim = new float[best.Count];
                for (var j = idx.Length - 1; j >= 0; j--)
                {
                    best.TryDequeue(out var a, out var s);
                    idx[j] = a;
                    sim[j] = s;
                }

                foreach (var a in touched)
                {
                    scores[a] = 0;
                }

                touched.Clear();
                result[i] = (idx, sim);
                return local;
            },
            _ => { });
        return result;
    }

    /// <summary>Per-feature weighted sums (tempo only where detected).</summary>
    private sealed class Accumulator
    {
        private readonly double[] _sum = new double[AudioFeatures.Count];
        private readonly double[] _weight = new double[AudioFeatures.Count];

        public int Tracks { get; private set; }
        public float Weight { get; private set; }

        public void Add(AudioFeatures features, float weight)
        {
            Tracks++;
            Weight += weight;
            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                if (FeatureStatistics.IsKnown(features, f))
                {
                    _sum[f] += weight * features[f];
                    _weight[f] += weight;
                }
            }
        }

        public (double[] Sum, double[] Weight, int Tracks, float TotalWeight) Export() => ((double[])_sum.Clone(), (double[])_weight.Clone(), Tracks, Weight);

        public void Merge((double[] Sum, double[] Weight, int Tracks, float TotalWeight) part)
        {
            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                _sum[f] += part.Sum[f];
                _weight[f] += part.Weight[f];
            }

            Tracks += part.Tracks;
            Weight += part.TotalWeight;
        }

        public float[] Mean()
        {
            var m = new float[AudioFeatures.Count];
            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                m[f] = _weight[f] > 0 ? (float)(_sum[f] / _weight[f]) : float.NaN;
            }

            return m;
        }
    }
}
