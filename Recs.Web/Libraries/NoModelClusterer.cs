using Recs.Core;
using Recs.Core.Clustering;

namespace Recs.Web.Libraries;

/// <summary>The clusterer used until the clustering feature registers the real one: never a model, always honest.</summary>
internal sealed class NoModelClusterer : IListenerClusterer
{
    public string? ActiveModelVersion => null;

    public Task<ClusteringResult> ClusterAsync(IReadOnlyList<TrackMetadata> tracks, bool useRecsModel, CancellationToken cancellationToken)
        => throw new NoActiveModelException();
}
