using System.Text.Json.Serialization;
using Recs.Core;
using Recs.Core.Clustering;

namespace Recs.Web.Api;

// The DESIGN §6 contract, spelled out with explicit snake_case names so neither global JSON options nor a rename
// can change it (and the OpenAPI document shows exactly these names).

/// <summary>Body of <c>POST /api/clusters</c>; a missing body or field means true.</summary>
public sealed record ClustersRequest([property: JsonPropertyName("use_recs_model")] bool? UseRecsModel);

/// <summary>The library clustered with the active model.</summary>
public sealed record ClustersResponse(
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("use_recs_model")] bool UseRecsModel,
    [property: JsonPropertyName("clusters")] IReadOnlyList<ClusterDto> Clusters,
    [property: JsonPropertyName("unclustered")] IReadOnlyList<TrackDto> Unclustered,
    [property: JsonPropertyName("coverage")] CoverageDto Coverage)
{
    public static ClustersResponse From(ClusteringResult r) => new(
        r.ModelVersion,
        r.UseRecsModel,
        r.Clusters.Select(c => new ClusterDto(c.Id, c.Name, c.Size, FeaturesDto.From(c.Centroid), c.Tracks.Select(TrackDto.From).ToList())).ToList(),
        r.Unclustered.Select(TrackDto.From).ToList(),
        new CoverageDto(r.Coverage.Total, r.Coverage.Clustered, r.Coverage.Pct, r.Coverage.FromCatalog, r.Coverage.Predicted,
            r.Coverage.MatchedById, r.Coverage.MatchedByArtistTitle,
            Enum.GetValues<ConfidenceTier>().ToDictionary(t => t.SnakeName(), t => r.Coverage.Tiers.GetValueOrDefault(t))));
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
        t.Source switch { FeatureSource.Catalog => "catalog", FeatureSource.Predicted => "predicted", _ => null },
        t.Confidence?.SnakeName());
}

/// <summary>
/// How many tracks got a cluster: <c>pct</c> = 100 × clustered / total. Beyond the contract's fields: catalog matches
/// by id and by artist + title, and predicted tracks per confidence tier.
/// </summary>
public sealed record CoverageDto(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("clustered")] int Clustered,
    [property: JsonPropertyName("pct")] double Pct,
    [property: JsonPropertyName("from_catalog")] int FromCatalog,
    [property: JsonPropertyName("predicted")] int Predicted,
    [property: JsonPropertyName("matched_by_id")] int MatchedById,
    [property: JsonPropertyName("matched_by_artist_title")] int MatchedByArtistTitle,
    [property: JsonPropertyName("tiers")] IReadOnlyDictionary<string, int> Tiers);
