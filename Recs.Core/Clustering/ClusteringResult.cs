namespace Recs.Core.Clustering;

/// <summary>
/// A library clustered with one model version: the docs/contracts.md §HTTP response of <c>POST /api/clusters</c> and of the
/// <c>cluster</c> verb. Serialised in snake_case (see the web app's JSON options).
/// </summary>
public sealed record ClusteringResult(
    string ModelVersion,
    bool UseRecsModel,
    IReadOnlyList<ClusterGroup> Clusters,
    IReadOnlyList<ClusteredTrack> Unclustered,
    Coverage Coverage)
{
    /// <summary>
    /// The library's check set measured (its tracks with real features predicted as if unknown) and the correction the
    /// predicted tracks got; null when nothing was predicted-and-checked (use_recs_model off, no predictor, no real features).
    /// </summary>
    public Recs.Core.RealFeatures.CheckSetReport? CheckSet { get; init; }

    /// <summary>
    /// The library's tracks in the library's order: the same objects as in <see cref="Clusters"/> and
    /// <see cref="Unclustered"/> (one array of references, no copies). Set by <see cref="LibraryClusterer"/> when
    /// <see cref="UseRecsModel"/> is on so that <see cref="WithoutPredictions"/> can keep the library's order; not
    /// serialised (null for a result read back from JSON).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<ClusteredTrack>? InLibraryOrder { get; init; }

    /// <summary>
    /// This clustering as <see cref="LibraryClusterer"/> gives it with <c>use_recs_model</c> off, derived without reading
    /// the library or predicting again: a track's real features, source and cluster do not depend on the switch, so
    /// the tracks with real features keep their clusters (the same objects, shared) and the predicted ones become
    /// unclustered, in the library's order. Null when this clustering is already off or does not know the library's
    /// order (<see cref="InLibraryOrder"/>).
    /// </summary>
    public ClusteringResult? WithoutPredictions()
    {
        if (!UseRecsModel || InLibraryOrder is not { } tracks)
        {
            return null;
        }

        var members = new Dictionary<int, List<ClusteredTrack>>();
        var unclustered = new List<ClusteredTrack>(Coverage.Total - Coverage.Real);
        foreach (var t in tracks)
        {
            if (t.Source is null or FeatureSource.Predicted || t.Cluster is not { } c)
            {
                // An unclustered track is the same with the switch off; a predicted one loses its predicted features.
                unclustered.Add(t.Source is null ? t : new ClusteredTrack(t.Id, t.Name, t.Artists, null, null));
                continue;
            }

            if (!members.TryGetValue(c, out var list))
            {
                members[c] = list = [];
            }

            list.Add(t);
        }

        // A cluster with real tracks had them with the switch on too: its name and centroid come from there.
        var groups = Clusters.Where(g => members.ContainsKey(g.Id))
            .Select(g => g with { Size = members[g.Id].Count, Tracks = members[g.Id] })
            .ToList();
        var real = Coverage.Real;
        var coverage = new Coverage(
            Coverage.Total,
            real,
            Coverage.Percent(real, Coverage.Total),
            Coverage.FromCatalog,
            0,
            Coverage.MatchedById,
            Coverage.MatchedByArtistTitle,
            Coverage.Tiers.ToDictionary(t => t.Key, _ => 0))
        {
            FromFile = Coverage.FromFile,
            FromService = Coverage.FromService,
        };
        return new ClusteringResult(ModelVersion, false, groups, unclustered, coverage);
    }
}

/// <summary>One cluster of the library: its id and name in the model, the model centroid in native units, and its tracks.</summary>
public sealed record ClusterGroup(int Id, string Name, int Size, AudioFeatures Centroid, IReadOnlyList<ClusteredTrack> Tracks);

/// <summary>
/// A library track. <see cref="Features"/> and <see cref="Source"/> are null for an unclustered track;
/// <see cref="Confidence"/> is set for predicted tracks only.
/// </summary>
public sealed record ClusteredTrack(
    string? Id,
    string Name,
    IReadOnlyList<string> Artists,
    AudioFeatures? Features,
    FeatureSource? Source,
    ConfidenceTier? Confidence = null,
    int? Cluster = null,
    string? Match = null);

/// <summary>How many tracks got a cluster, and how.</summary>
/// <param name="Total">Tracks in the library.</param>
/// <param name="Clustered">Tracks with a cluster.</param>
/// <param name="Pct">100 × clustered / total, rounded to one decimal (100 for an empty library).</param>
/// <param name="FromCatalog">Clustered with the catalog's real features (the model's catalog or catalog tracks added since).</param>
/// <param name="Predicted">Clustered with predicted features.</param>
/// <param name="MatchedById">Catalog tracks found by Spotify id.</param>
/// <param name="MatchedByArtistTitle">Catalog tracks found by normalised primary artist + title.</param>
/// <param name="Tiers">Predicted tracks per confidence tier.</param>
public sealed record Coverage(
    int Total,
    int Clustered,
    double Pct,
    int FromCatalog,
    int Predicted,
    int MatchedById,
    int MatchedByArtistTitle,
    IReadOnlyDictionary<ConfidenceTier, int> Tiers)
{
    /// <summary>Clustered with the real features the listener's own file carried.</summary>
    public int FromFile { get; init; }

    /// <summary>Clustered with real features from a features service (fetched or cached).</summary>
    public int FromService { get; init; }

    /// <summary>The <see cref="Pct"/> of <paramref name="clustered"/> of <paramref name="total"/> tracks: one decimal, 100 for an empty library.</summary>
    public static double Percent(int clustered, int total) =>
        total == 0 ? 100.0 : Math.Round(100.0 * clustered / total, 1, MidpointRounding.AwayFromZero);

    /// <summary>Tracks clustered with real features: file + catalog + service.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Real => FromFile + FromCatalog + FromService;

    /// <summary>The count of one source.</summary>
    public int Of(FeatureSource source) => source switch
    {
        FeatureSource.File => FromFile,
        FeatureSource.Catalog => FromCatalog,
        FeatureSource.Service => FromService,
        _ => Predicted,
    };
}
