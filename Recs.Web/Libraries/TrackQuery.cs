using Recs.Core;
using Recs.Core.Clustering;

namespace Recs.Web.Libraries;

/// <summary>A row of the cluster table: one library track, flattened for display and sorting.</summary>
public sealed record TrackRow(
    int Index,
    string? Id,
    string Name,
    string Artists,
    double Tempo,
    double Energy,
    double Danceability,
    double Valence,
    double Loudness,
    FeatureSource Source,
    ConfidenceTier? Confidence)
{
    /// <summary>The five features.</summary>
    public AudioFeatures Features => new(Tempo, Energy, Danceability, Valence, Loudness);

    /// <summary>True for a local file (no Spotify id: cannot go into a playlist).</summary>
    public bool IsLocal => string.IsNullOrEmpty(Id);

    internal static TrackRow From(int index, ClusteredTrack t)
    {
        var f = t.Features ?? default;
        return new TrackRow(index, t.Id, t.Name, string.Join(", ", t.Artists), f.Tempo, f.Energy, f.Danceability, f.Valence, f.Loudness,
            t.Source ?? FeatureSource.Predicted, t.Confidence);
    }
}

/// <summary>An inclusive range filter on one feature (either end open).</summary>
public sealed record FeatureRange(int Feature, double? Min, double? Max)
{
    public bool Contains(double value) => (Min is not { } min || value >= min) && (Max is not { } max || value <= max);
}

/// <summary>One sort key: a <see cref="TrackRow"/> column name and its direction.</summary>
public sealed record TrackSort(string Column, bool Descending = false);

/// <summary>How the cluster table is filtered and sorted.</summary>
public sealed record TrackQuery
{
    /// <summary>Lowest BPM shown, or null.</summary>
    public double? BpmMin { get; init; }

    /// <summary>Highest BPM shown, or null.</summary>
    public double? BpmMax { get; init; }

    /// <summary>Also match a track whose half or double tempo is in the BPM range (a 170 BPM track runs at 85 steps).</summary>
    public bool HalfAndDoubleTempo { get; init; }

    /// <summary>Ranges on the other features.</summary>
    public IReadOnlyList<FeatureRange> Ranges { get; init; } = [];

    /// <summary>Case-insensitive text in the name or artists.</summary>
    public string? Search { get; init; }

    /// <summary>Only catalog or only predicted tracks.</summary>
    public FeatureSource? Source { get; init; }

    /// <summary>Sort keys, most significant first (e.g. tempo, then energy).</summary>
    public IReadOnlyList<TrackSort> Sorts { get; init; } = [];

    /// <summary>True when any filter is set (the "filtered view" differs from the cluster).</summary>
    public bool IsFiltered => BpmMin is not null || BpmMax is not null || Ranges.Count > 0 || !string.IsNullOrWhiteSpace(Search) || Source is not null;

    /// <summary>True when <paramref name="row"/> passes every filter.</summary>
    public bool Matches(TrackRow row)
    {
        if ((BpmMin is not null || BpmMax is not null) && !MatchesTempo(row.Tempo))
        {
            return false;
        }

        foreach (var range in Ranges)
        {
            if (!range.Contains(row.Features[range.Feature]))
            {
                return false;
            }
        }

        if (Source is { } source && row.Source != source)
        {
            return false;
        }

        return string.IsNullOrWhiteSpace(Search)
            || row.Name.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase)
            || row.Artists.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    private bool MatchesTempo(double tempo)
    {
        if (!(tempo > 0))
        {
            return false;
        }

        var range = new FeatureRange(0, BpmMin, BpmMax);
        return range.Contains(tempo) || (HalfAndDoubleTempo && (range.Contains(tempo * 2) || range.Contains(tempo / 2)));
    }

    /// <summary>Filters and sorts <paramref name="rows"/> (stable: ties keep library order).</summary>
    public IReadOnlyList<TrackRow> Apply(IEnumerable<TrackRow> rows)
    {
        var filtered = rows.Where(Matches);
        IOrderedEnumerable<TrackRow>? ordered = null;
        foreach (var sort in Sorts)
        {
            var key = KeyOf(sort.Column);
            if (key is null)
            {
                continue;
            }

            ordered = ordered is null
                ? (sort.Descending ? filtered.OrderByDescending(key, Comparer<IComparable>.Default) : filtered.OrderBy(key, Comparer<IComparable>.Default))
                : (sort.Descending ? ordered.ThenByDescending(key, Comparer<IComparable>.Default) : ordered.ThenBy(key, Comparer<IComparable>.Default));
        }

        return (ordered ?? filtered).ToList();
    }

    /// <summary>The sort key of a column name (case-insensitive), or null for an unknown column.</summary>
    public static Func<TrackRow, IComparable>? KeyOf(string column) => column.ToLowerInvariant() switch
    {
        "name" => r => r.Name,
        "artists" => r => r.Artists,
        "tempo" or "bpm" => r => r.Tempo,
        "energy" => r => r.Energy,
        "danceability" => r => r.Danceability,
        "valence" => r => r.Valence,
        "loudness" => r => r.Loudness,
        "source" => r => (int)r.Source,
        "confidence" => r => (int?)r.Confidence ?? -1,
        "index" => r => r.Index,
        _ => null,
    };
}
