using System.ComponentModel.DataAnnotations;

namespace Recs.Core.Clustering;

/// <summary>Options of the <c>Clustering</c> configuration section: how the cluster model is trained.</summary>
public sealed class ClusteringOptions
{
    public const string SectionName = "Clustering";

    /// <summary>
    /// Default number of clusters. Chosen by measurement on the real catalog (BENCHMARKS.md,
    /// docs/decisions/ADR-020-default-k.md).
    /// </summary>
    public const int DefaultK = 9;

    /// <summary>Default seed of the k-means++ initialisation (fixed so that the same catalog gives the same model).</summary>
    public const int DefaultSeed = 42;

    /// <summary>Number of clusters k.</summary>
    [Range(2, 50)]
    public int K { get; set; } = DefaultK;

    /// <summary>Seed of <c>MLContext</c> and so of the k-means++ initialisation.</summary>
    public int Seed { get; set; } = DefaultSeed;

    /// <summary>Upper bound of Lloyd iterations.</summary>
    [Range(1, 10_000)]
    public int MaxIterations { get; set; } = 300;
}
