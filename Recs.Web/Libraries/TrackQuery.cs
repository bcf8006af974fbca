using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
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

/// <summary>An inclusive range (either end open).</summary>
public readonly record struct ValueRange(double? Min, double? Max)
{
    /// <summary>True when neither end is set.</summary>
    public bool IsOpen => Min is null && Max is null;

    public bool Contains(double value) => (Min is not { } min || value >= min) && (Max is not { } max || value <= max);
}

/// <summary>
/// How the cluster table is filtered and sorted. The one shape shared by the cluster page (which builds it and links to
/// the CSV download with <see cref="ToQueryString"/>) and <c>GET /api/clusters/{id}/csv</c> (which binds it with
/// <c>[AsParameters]</c> and validates it with the DataAnnotations below): the query names live here and nowhere else.
/// </summary>
public sealed record TrackQuery
{
    /// <summary>Lowest BPM shown, or null.</summary>
    [FromQuery(Name = "bpm_min"), Display(Name = "bpm_min"), Range(0, 300)]
    public double? BpmMin { get; init; }

    /// <summary>Highest BPM shown, or null.</summary>
    [FromQuery(Name = "bpm_max"), Display(Name = "bpm_max"), Range(0, 300)]
    public double? BpmMax { get; init; }

    /// <summary>Also match a track whose half or double tempo is in the BPM range (a 170 BPM track runs at 85 steps).</summary>
    [FromQuery(Name = "half_double")]
    public bool? HalfDouble { get; init; }

    /// <summary>Lowest energy shown (0–1), or null.</summary>
    [FromQuery(Name = "energy_min"), Display(Name = "energy_min"), Range(0, 1)]
    public double? EnergyMin { get; init; }

    /// <summary>Highest energy shown (0–1), or null.</summary>
    [FromQuery(Name = "energy_max"), Display(Name = "energy_max"), Range(0, 1)]
    public double? EnergyMax { get; init; }

    /// <summary>Lowest danceability shown (0–1), or null.</summary>
    [FromQuery(Name = "danceability_min"), Display(Name = "danceability_min"), Range(0, 1)]
    public double? DanceabilityMin { get; init; }

    /// <summary>Highest danceability shown (0–1), or null.</summary>
    [FromQuery(Name = "danceability_max"), Display(Name = "danceability_max"), Range(0, 1)]
    public double? DanceabilityMax { get; init; }

    /// <summary>Lowest valence shown (0–1), or null.</summary>
    [FromQuery(Name = "valence_min"), Display(Name = "valence_min"), Range(0, 1)]
    public double? ValenceMin { get; init; }

    /// <summary>Highest valence shown (0–1), or null.</summary>
    [FromQuery(Name = "valence_max"), Display(Name = "valence_max"), Range(0, 1)]
    public double? ValenceMax { get; init; }

    /// <summary>Case-insensitive text in the name or artists.</summary>
    [FromQuery(Name = "search"), Display(Name = "search"), StringLength(200)]
    public string? Search { get; init; }

    /// <summary>
    /// Only the tracks whose features came from this source, by its wire name (<see cref="FeatureSources.Name"/>:
    /// <c>file</c>, <c>catalog</c>, <c>service</c>, <c>predicted</c>; any case), or null for all. A string rather than
    /// the enum because minimal APIs bind enums by their C# names, case-sensitively; <see cref="Source"/> is the parsed value.
    /// </summary>
    [FromQuery(Name = "source"), Display(Name = "source"), FeatureSourceName]
    public string? SourceName { get; init; }

    /// <summary>The source filter (null: every source). Set it with <see cref="WithSource"/>.</summary>
    public FeatureSource? Source => FeatureSources.TryParse(SourceName, out var source) ? source : null;

    /// <summary>A copy filtered to <paramref name="source"/> (null: every source).</summary>
    public TrackQuery WithSource(FeatureSource? source) => this with { SourceName = source is { } s ? FeatureSources.Name(s) : null };

    /// <summary>Sort keys, most significant first (e.g. <c>tempo,-energy</c>: tempo, then energy descending).</summary>
    [FromQuery(Name = "sort")]
    public TrackSorts? Sort { get; init; }

    /// <summary>True when half and double tempo also count.</summary>
    public bool HalfAndDoubleTempo => HalfDouble == true;

    /// <summary>The sort keys (none when unsorted).</summary>
    public TrackSorts Sorts => Sort ?? TrackSorts.None;

    /// <summary>The range on a 0–1 feature by its <see cref="AudioFeatures.Names"/> index (1 energy, 2 danceability, 3 valence).</summary>
    public ValueRange RangeOf(int feature) => feature switch
    {
        1 => new(EnergyMin, EnergyMax),
        2 => new(DanceabilityMin, DanceabilityMax),
        3 => new(ValenceMin, ValenceMax),
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "Only energy (1), danceability (2) and valence (3) have range filters."),
    };

    /// <summary>A copy with the range of a 0–1 feature replaced.</summary>
    public TrackQuery WithRange(int feature, ValueRange range) => feature switch
    {
        1 => this with { EnergyMin = range.Min, EnergyMax = range.Max },
        2 => this with { DanceabilityMin = range.Min, DanceabilityMax = range.Max },
        3 => this with { ValenceMin = range.Min, ValenceMax = range.Max },
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "Only energy (1), danceability (2) and valence (3) have range filters."),
    };

    /// <summary>The features that have a range filter, by <see cref="AudioFeatures.Names"/> index.</summary>
    public static IReadOnlyList<int> RangeFeatures { get; } = [1, 2, 3];

    /// <summary>True when any filter is set (the "filtered view" differs from the cluster).</summary>
    public bool IsFiltered => BpmMin is not null || BpmMax is not null || RangeFeatures.Any(f => !RangeOf(f).IsOpen)
        || !string.IsNullOrWhiteSpace(Search) || Source is not null;

    /// <summary>The same query without its filters (only the sort order kept).</summary>
    public TrackQuery WithoutFilters() => new() { Sort = Sort };

    /// <summary>True when <paramref name="row"/> passes every filter.</summary>
    public bool Matches(TrackRow row)
    {
        if ((BpmMin is not null || BpmMax is not null) && !MatchesTempo(row.Tempo))
        {
            return false;
        }

        foreach (var feature in RangeFeatures)
        {
            if (!RangeOf(feature).Contains(row.Features[feature]))
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

        var range = new ValueRange(BpmMin, BpmMax);
        return range.Contains(tempo) || (HalfAndDoubleTempo && (range.Contains(tempo * 2) || range.Contains(tempo / 2)));
    }

    /// <summary>Filters and sorts <paramref name="rows"/> (stable: ties keep library order).</summary>
    public IReadOnlyList<TrackRow> Apply(IEnumerable<TrackRow> rows)
    {
        var filtered = rows.Where(Matches);
        IOrderedEnumerable<TrackRow>? ordered = null;
        foreach (var sort in Sorts)
        {
            var key = TrackSorts.KeyOf(sort.Column);
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

    /// <summary>
    /// The query as URL parameters (without the leading '?'), under the same names <c>[AsParameters]</c> binds, so a
    /// link built from a query reads back as an equal query. Unset values are left out.
    /// </summary>
    public string ToQueryString()
    {
        var values = new List<KeyValuePair<string, string?>>();
        void Add(string name, double? value)
        {
            if (value is { } v)
            {
                values.Add(new(name, v.ToString("R", CultureInfo.InvariantCulture)));
            }
        }

        Add("bpm_min", BpmMin);
        Add("bpm_max", BpmMax);
        if (HalfDouble is { } halfDouble)
        {
            values.Add(new("half_double", halfDouble ? "true" : "false"));
        }

        Add("energy_min", EnergyMin);
        Add("energy_max", EnergyMax);
        Add("danceability_min", DanceabilityMin);
        Add("danceability_max", DanceabilityMax);
        Add("valence_min", ValenceMin);
        Add("valence_max", ValenceMax);
        if (!string.IsNullOrWhiteSpace(Search))
        {
            values.Add(new("search", Search));
        }

        if (Source is { } source)
        {
            values.Add(new("source", FeatureSources.Name(source)));
        }

        if (Sorts.Count > 0)
        {
            values.Add(new("sort", Sorts.ToString()));
        }

        return QueryString.Create(values).ToUriComponent().TrimStart('?');
    }
}
