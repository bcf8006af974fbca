using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Recs.Web.Libraries;

/// <summary>One sort key: a <see cref="TrackRow"/> column (its canonical name, see <see cref="TrackSorts.Columns"/>) and its direction.</summary>
public sealed record TrackSort(string Column, bool Descending = false);

/// <summary>
/// The cluster table's sort order, most significant key first. Written <c>tempo,-energy</c> in URLs (a leading '-' is
/// descending); unknown columns are dropped and a column appears at most once. <see cref="Toggle"/> is the header
/// gesture: a click on an unsorted column adds it as the next key (ascending), a second click flips it to
/// descending, a third removes it.
/// </summary>
[CollectionBuilder(typeof(TrackSorts), nameof(Create))]
public sealed class TrackSorts : IReadOnlyList<TrackSort>, IEquatable<TrackSorts>, IParsable<TrackSorts>
{
    /// <summary>The sortable columns: canonical name → label shown to people.</summary>
    public static IReadOnlyDictionary<string, string> Columns { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = "Title",
        ["artists"] = "Artists",
        ["tempo"] = "BPM",
        ["energy"] = "Energy",
        ["danceability"] = "Dance",
        ["valence"] = "Valence",
        ["loudness"] = "dB",
        ["source"] = "Features",
    };

    /// <summary>No sort: library order.</summary>
    public static TrackSorts None { get; } = new([]);

    private readonly IReadOnlyList<TrackSort> _keys;

    private TrackSorts(IReadOnlyList<TrackSort> keys) => _keys = keys;

    /// <summary>Sort keys from <paramref name="keys"/>: column names made canonical, unknown and repeated columns dropped.</summary>
    public static TrackSorts Create(ReadOnlySpan<TrackSort> keys)
    {
        var list = new List<TrackSort>(keys.Length);
        foreach (var key in keys)
        {
            if (Canonical(key.Column) is { } column && !list.Exists(k => k.Column == column))
            {
                list.Add(key with { Column = column });
            }
        }

        return list.Count == 0 ? None : new TrackSorts(list);
    }

    /// <summary>The canonical name of a column (case-insensitive; "bpm" is tempo), or null for an unknown one.</summary>
    public static string? Canonical(string column)
    {
        var name = column.Trim().ToLowerInvariant();
        if (name == "bpm")
        {
            name = "tempo";
        }

        return Columns.ContainsKey(name) ? name : null;
    }

    /// <summary>The sort key of a column name (case-insensitive), or null for an unknown column.</summary>
    public static Func<TrackRow, IComparable>? KeyOf(string column) => Canonical(column) switch
    {
        "name" => r => r.Name,
        "artists" => r => r.Artists,
        "tempo" => r => r.Tempo,
        "energy" => r => r.Energy,
        "danceability" => r => r.Danceability,
        "valence" => r => r.Valence,
        "loudness" => r => r.Loudness,
        "source" => r => ((int)r.Source, (int?)r.Confidence ?? -1),
        _ => null,
    };

    /// <summary>The header gesture on <paramref name="column"/>: add as the last key (ascending), else flip ascending to descending, else remove.</summary>
    public TrackSorts Toggle(string column)
    {
        var name = Canonical(column) ?? throw new ArgumentException($"'{column}' is not a sortable column.", nameof(column));
        var at = IndexOf(name);
        if (at < 0)
        {
            return Create([.. _keys, new TrackSort(name)]);
        }

        var keys = _keys.ToList();
        if (!keys[at].Descending)
        {
            keys[at] = keys[at] with { Descending = true };
        }
        else
        {
            keys.RemoveAt(at);
        }

        return Create([.. keys]);
    }

    /// <summary>The same order without <paramref name="column"/>.</summary>
    public TrackSorts Without(string column) => Create([.. _keys.Where(k => k.Column != Canonical(column))]);

    /// <summary>The position of <paramref name="column"/> (0 = most significant), or -1 when it is not sorted.</summary>
    public int IndexOf(string column)
    {
        var name = Canonical(column);
        for (var i = 0; i < _keys.Count; i++)
        {
            if (_keys[i].Column == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The key on <paramref name="column"/>, or null.</summary>
    public TrackSort? Find(string column) => IndexOf(column) is >= 0 and var i ? _keys[i] : null;

    /// <summary>Parses <c>tempo,-energy</c>; unknown columns are ignored.</summary>
    public static TrackSorts Parse(string? value)
        => string.IsNullOrWhiteSpace(value)
            ? None
            : Create([.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => s.StartsWith('-') ? new TrackSort(s[1..], true) : new TrackSort(s))]);

    public static TrackSorts Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <summary>Minimal-API query binding: never fails (unknown columns are ignored, as the CSV export always did).</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out TrackSorts result)
    {
        result = Parse(s);
        return true;
    }

    /// <summary><c>tempo,-energy</c>.</summary>
    public override string ToString() => string.Join(',', _keys.Select(k => (k.Descending ? "-" : "") + k.Column));

    public int Count => _keys.Count;

    public TrackSort this[int index] => _keys[index];

    public IEnumerator<TrackSort> GetEnumerator() => _keys.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(TrackSorts? other) => other is not null && _keys.SequenceEqual(other._keys);

    public override bool Equals(object? obj) => Equals(obj as TrackSorts);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
