using Recs.Core.Catalog;

namespace Recs.Core.Prediction.Featurization;

/// <summary>
/// Turns genre labels into terms: the whole normalised genre (<c>g:dance pop</c>) and each of its words
/// (<c>w:dance</c>, <c>w:pop</c>). Words let an unseen genre string ("swedish dream pop") still map onto known ones,
/// and bridge Spotify's artist genres with catalog labels such as Kaggle's "alt-rock".
/// </summary>
public static class GenreTerms
{
    public const string WholePrefix = "g:";
    public const string WordPrefix = "w:";

    /// <summary>Distinct normalised genres of <paramref name="genres"/>, empty strings dropped.</summary>
    public static string[] NormalizeGenres(IEnumerable<string> genres)
    {
        var set = new List<string>();
        foreach (var g in genres)
        {
            var n = TextKeys.Normalize(g);
            if (n.Length > 0 && !set.Contains(n))
            {
                set.Add(n);
            }
        }

        return set.ToArray();
    }

    /// <summary>Distinct terms of already normalised genres.</summary>
    public static List<string> Terms(IReadOnlyList<string> normalizedGenres)
    {
        var terms = new List<string>(normalizedGenres.Count * 3);
        foreach (var g in normalizedGenres)
        {
            AddDistinct(terms, WholePrefix + g);
            foreach (var word in g.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                AddDistinct(terms, WordPrefix + word);
            }
        }

        return terms;
    }

    /// <summary>Splits a joined genre field ("a,b", "a;b" or a Python-style list "['a', 'b']").</summary>
    public static string[] Split(string? joined)
    {
        if (string.IsNullOrWhiteSpace(joined))
        {
            return [];
        }

        return joined.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries)
            .Select(g => g.Trim().Trim('[', ']', '\'', '"').Trim())
            .Where(g => g.Length > 0)
            .ToArray();
    }

    private static void AddDistinct(List<string> list, string value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }
}
