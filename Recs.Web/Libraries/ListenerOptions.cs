using System.ComponentModel.DataAnnotations;

namespace Recs.Web.Libraries;

/// <summary>Options of the <c>Listener</c> section: the listener's pages and <c>POST /api/clusters</c>.</summary>
public sealed class ListenerOptions
{
    public const string SectionName = "Listener";

    /// <summary>Largest library export accepted by the upload (bytes). Default 20 MB (~100,000 rows of Exportify CSV).</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Tracks (summed over cached libraries) the clustering cache may hold before it evicts.</summary>
    [Range(1, int.MaxValue)]
    public int CacheTrackBudget { get; set; } = 250_000;

    /// <summary>How long an unused clustering stays cached.</summary>
    [Range(1, 24 * 60)]
    public int CacheMinutes { get; set; } = 30;

    /// <summary><c>POST /api/clusters</c> calls allowed per user per window.</summary>
    [Range(1, 100_000)]
    public int ApiPermitLimit { get; set; } = 30;

    /// <summary>The rate limiter's window, in seconds.</summary>
    [Range(1, 3600)]
    public int ApiWindowSeconds { get; set; } = 60;

    /// <summary>Most points the library scatter plot draws (a sample keeps a 10,000-track page light).</summary>
    [Range(100, 20_000)]
    public int ScatterMaxPoints { get; set; } = 1000;
}
