using System.ComponentModel.DataAnnotations;

namespace Recs.Web.Jobs;

/// <summary>Options of the <c>Jobs</c> configuration section.</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Capacity of each kind's queue. One job per kind is active at a time, so a small queue is plenty.</summary>
    [Range(1, 1000)]
    public int QueueCapacity { get; set; } = 8;

    /// <summary>At most one progress write to the database (and one notification) per job per interval.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest accepted upload (catalog CSV, library export, artist genres table), in bytes. Default 512 MB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// An upload no active job refers to is deleted once it has not been written for this long (at start-up and when a
    /// job ends); the grace keeps an upload being streamed, or saved a moment before its job is queued.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan UploadCleanupGrace { get; set; } = TimeSpan.FromMinutes(5);
}
