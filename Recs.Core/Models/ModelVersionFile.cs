namespace Recs.Core.Models;

/// <summary>
/// One file of a model version, stored in the database so that every instance can load every version whatever its
/// data directory (ADR-151). An instance materialises a version's files into its own data directory before loading.
/// </summary>
public sealed class ModelVersionFile
{
    /// <summary>The <see cref="Prediction.ModelVersion.Id"/> the file belongs to.</summary>
    public required string VersionId { get; set; }

    /// <summary>File name inside the version directory (no directories).</summary>
    public required string Name { get; set; }

    public required byte[] Content { get; set; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Content"/>: a materialised copy is reused only when it matches.</summary>
    public required string Sha256 { get; set; }
}
