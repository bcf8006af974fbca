using Recs.Core;
using Recs.Core.Clustering;

namespace Recs.Web.Libraries;

/// <summary>
/// Clusters a listener's library with the active model. The listener pages and the API depend on this small seam,
/// so they can be tested without training a model.
/// </summary>
public interface IListenerClusterer
{
    /// <summary>The active model version, or null when none is active yet.</summary>
    Task<string?> GetActiveModelVersionAsync(CancellationToken cancellationToken);

    /// <summary>Clusters <paramref name="tracks"/> with the active model (docs/contracts.md §HTTP result).</summary>
    /// <exception cref="NoActiveModelException">When no model is active.</exception>
    Task<ClusteringResult> ClusterAsync(IReadOnlyList<TrackMetadata> tracks, bool useRecsModel, CancellationToken cancellationToken);
}

/// <summary>Thrown when a library is clustered before any model has been trained and activated.</summary>
public sealed class NoActiveModelException() : InvalidOperationException("No model is active yet: an admin has to train and activate one.");
