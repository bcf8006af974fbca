using System.Text.Json;
using System.Text.Json.Nodes;
using Recs.Core;
using Recs.Core.Prediction;
using Recs.Core.Prediction.Training;

namespace Recs.Web.Admin;

/// <summary>One feature's metrics: this version, the active version, and the baselines on this version's test split.</summary>
public sealed record FeatureComparison(string Feature, FeatureMetric? Version, FeatureMetric? Active, IReadOnlyDictionary<string, FeatureMetric> Baselines);

/// <summary>A version's evaluation for one input profile, next to the active version's (artist-grouped split).</summary>
public sealed record ProfileComparison(
    string Profile,
    int? TestTracks,
    IReadOnlyList<FeatureComparison> Features,
    double? ClusterAgreement,
    double? ActiveClusterAgreement,
    double? MajorityClusterRate,
    IReadOnlyDictionary<string, double> BaselineClusterAgreements);

/// <summary>
/// Reads the <c>metadata_model_metrics.json</c> stored on each model version (h-predict's shape: the artist-grouped
/// <see cref="SplitReport"/> under <c>artist_grouped</c>) into what the models page compares.
/// </summary>
public static class ModelComparison
{
    /// <summary>The artist-grouped split report of a version's metrics, or null when absent or unreadable.</summary>
    public static SplitReport? GroupedSplit(string metricsJson)
    {
        try
        {
            var node = JsonNode.Parse(metricsJson)?["artist_grouped"];
            return node?.Deserialize<SplitReport>(RecsTrainer.MetricsJsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static IReadOnlyList<ProfileComparison> Compare(string versionMetricsJson, string? activeMetricsJson)
    {
        var version = GroupedSplit(versionMetricsJson);
        var active = activeMetricsJson is null ? null : GroupedSplit(activeMetricsJson);
        if (version?.Profiles is null)
        {
            return [];
        }

        var result = new List<ProfileComparison>();
        foreach (var profile in InputProfiles.All.Where(version.Profiles.ContainsKey))
        {
            var mine = version.Profiles[profile];
            var theirs = active?.Profiles?.GetValueOrDefault(profile);
            var features = AudioFeatures.Names.Select(name => new FeatureComparison(
                name,
                mine.Features?.GetValueOrDefault(name),
                theirs?.Features?.GetValueOrDefault(name),
                (mine.Baselines ?? []).Where(b => b.Value.ContainsKey(name)).ToDictionary(b => b.Key, b => b.Value[name]))).ToList();
            result.Add(new ProfileComparison(
                profile, mine.Tracks, features, mine.ClusterAgreement, theirs?.ClusterAgreement, mine.MajorityClusterRate,
                mine.BaselineClusterAgreements ?? []));
        }

        return result;
    }

    /// <summary>Baseline keys as people say them.</summary>
    public static string BaselineName(string key) => key switch
    {
        "global_mean" => "global mean",
        "genre_mean" => "genre mean",
        "artist_mean" => "artist mean (else genre)",
        "artist_table_mean" => "artist table mean",
        _ => key.Replace('_', ' '),
    };
}
