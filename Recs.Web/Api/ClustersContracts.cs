using System.Text.Json.Serialization;
using Recs.Core;
using Recs.Core.Clustering;

namespace Recs.Web.Api;

// The docs/contracts.md §HTTP contract, spelled out with explicit snake_case names so neither global JSON options nor a rename
// can change it (and the OpenAPI document shows exactly these names).

/// <summary>Body of <c>POST /api/clusters</c>; a missing body or field means true.</summary>
public sealed record ClustersRequest([property: JsonPropertyName("use_recs_model")] bool? UseRecsModel);

/// <summary>The library clustered with the active model.</summary>
public sealed record ClustersResponse(
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("use_recs_model")] bool UseRecsModel,
    [property: JsonPropertyName("clusters")] IReadOnlyList<ClusterDto> Clusters,
    [property: JsonPropertyName("unclustered")] IReadOnlyList<TrackDto> Unclustered,
    [property: JsonPropertyName("coverage")] CoverageDto Coverage,
    [property: JsonPropertyName("check_set")] CheckSetDto? CheckSet)
{
    public static ClustersResponse From(ClusteringResult r) => new(
        r.ModelVersion,
        r.UseRecsModel,
        r.Clusters.Select(c => new ClusterDto(c.Id, c.Name, c.Size, FeaturesDto.From(c.Centroid), c.Tracks.Select(TrackDto.From).ToList())).ToList(),
        r.Unclustered.Select(TrackDto.From).ToList(),
        new CoverageDto(r.Coverage.Total, r.Coverage.Clustered, r.Coverage.Pct, r.Coverage.FromFile, r.Coverage.FromCatalog, r.Coverage.FromService,
            r.Coverage.Predicted, r.Coverage.MatchedById, r.Coverage.MatchedByArtistTitle,
            Enum.GetValues<ConfidenceTier>().ToDictionary(t => t.SnakeName(), t => r.Coverage.Tiers.GetValueOrDefault(t))),
        r.CheckSet is { } check ? CheckSetDto.From(check) : null);
}

/// <summary>One cluster and its tracks.</summary>
public sealed record ClusterDto(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("centroid")] FeaturesDto Centroid,
    [property: JsonPropertyName("tracks")] IReadOnlyList<TrackDto> Tracks);

/// <summary>The five features in native units (BPM, dB, 0–1).</summary>
public sealed record FeaturesDto(
    [property: JsonPropertyName("tempo")] double Tempo,
    [property: JsonPropertyName("energy")] double Energy,
    [property: JsonPropertyName("danceability")] double Danceability,
    [property: JsonPropertyName("valence")] double Valence,
    [property: JsonPropertyName("loudness")] double Loudness)
{
    public static FeaturesDto From(AudioFeatures f) => new(f.Tempo, f.Energy, f.Danceability, f.Valence, f.Loudness);
}

/// <summary>
/// A library track. <c>features</c> and <c>source</c> are null for an unclustered track; <c>confidence</c>
/// (artist_known, genres_only, nothing) is set for predicted tracks; <c>id</c> is null for a local file.
/// </summary>
public sealed record TrackDto(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("artists")] IReadOnlyList<string> Artists,
    [property: JsonPropertyName("features")] FeaturesDto? Features,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("confidence")] string? Confidence)
{
    public static TrackDto From(ClusteredTrack t) => new(
        t.Id,
        t.Name,
        t.Artists,
        t.Features is { } f ? FeaturesDto.From(f) : null,
        t.Source is { } source ? FeatureSources.Name(source) : null,
        t.Confidence?.SnakeName());
}

/// <summary>
/// How many tracks got a cluster: <c>pct</c> = 100 × clustered / total, and where their features came from
/// (<c>from_file</c>, <c>from_catalog</c>, <c>from_service</c>, <c>predicted</c>, docs/contracts.md §HTTP). Beyond the contract's
/// fields: catalog matches by id and by artist + title, and predicted tracks per confidence tier.
/// </summary>
public sealed record CoverageDto(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("clustered")] int Clustered,
    [property: JsonPropertyName("pct")] double Pct,
    [property: JsonPropertyName("from_file")] int FromFile,
    [property: JsonPropertyName("from_catalog")] int FromCatalog,
    [property: JsonPropertyName("from_service")] int FromService,
    [property: JsonPropertyName("predicted")] int Predicted,
    [property: JsonPropertyName("matched_by_id")] int MatchedById,
    [property: JsonPropertyName("matched_by_artist_title")] int MatchedByArtistTitle,
    [property: JsonPropertyName("tiers")] IReadOnlyDictionary<string, int> Tiers);

/// <summary>
/// The library's check set (docs/contracts.md §Pipeline item 7): its tracks with real features predicted as if unknown. <c>cluster_agreement</c>
/// is how often that gave their true cluster; <c>chance_agreement</c> what chance would give from how often each cluster
/// occurs (Σ true share × predicted share); <c>kappa</c> = (agreement − chance) / (1 − chance). <c>correction</c> is what
/// was added to the predicted tracks' features: the check set's mean error shrunk by n/(n+k).
/// </summary>
public sealed record CheckSetDto(
    [property: JsonPropertyName("tracks")] int Tracks,
    [property: JsonPropertyName("compared")] int Compared,
    [property: JsonPropertyName("cluster_agreement")] double ClusterAgreement,
    [property: JsonPropertyName("chance_agreement")] double ChanceAgreement,
    [property: JsonPropertyName("kappa")] double Kappa,
    [property: JsonPropertyName("majority_cluster_rate")] double MajorityClusterRate,
    [property: JsonPropertyName("correction")] CorrectionDto Correction)
{
    public static CheckSetDto From(Recs.Core.RealFeatures.CheckSetReport c) => new(
        c.Tracks,
        c.Agreement.Tracks,
        c.Agreement.Agreement,
        c.Agreement.ChanceAgreement,
        c.Agreement.Kappa,
        c.Agreement.MajorityClusterRate,
        new CorrectionDto(c.Correction.Tracks, c.Correction.Shrinkage, FeaturesDto.From(Round(c.Correction.Offsets))));

    private static AudioFeatures Round(AudioFeatures f) =>
        new(Math.Round(f.Tempo, 2), Math.Round(f.Energy, 4), Math.Round(f.Danceability, 4), Math.Round(f.Valence, 4), Math.Round(f.Loudness, 3));
}

/// <summary>The correction applied to predicted tracks: fitted on <c>tracks</c>, shrinkage <c>k</c>, per-feature <c>offsets</c>.</summary>
public sealed record CorrectionDto(
    [property: JsonPropertyName("tracks")] int Tracks,
    [property: JsonPropertyName("k")] double K,
    [property: JsonPropertyName("offsets")] FeaturesDto Offsets);
