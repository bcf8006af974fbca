using Recs.Core;

namespace Recs.Web.Libraries;

/// <summary>Makes the demo listener's library (some tracks in the demo catalog, some not).</summary>
public interface IDemoLibrarySource
{
    /// <summary>The generated library, or null when this Recs has no demo catalog to draw from.</summary>
    Task<IReadOnlyList<TrackMetadata>?> GenerateAsync(CancellationToken cancellationToken);
}

