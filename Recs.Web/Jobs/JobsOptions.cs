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

    /// <summary>
    /// This instance's name in the <c>Jobs</c> table (the owner of the jobs it runs). Empty: the machine name and a
    /// hash of the data directory, which stays the same across restarts of one instance — so a restart recovers its
    /// own jobs at once, and leaves other instances' jobs to their leases (ADR-112).
    /// </summary>
    [MaxLength(200)]
    public string? InstanceId { get; set; }

    /// <summary>How long a running job stays claimed without a heartbeat; after that another instance takes it over.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the instance running a job renews its lease and reads the cancel/pause requested on other instances
    /// (so a request reaches the job within about this long). Must be well below <see cref="LeaseDuration"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often each instance looks at the <c>Jobs</c> table for work queued elsewhere, expired leases, timed pauses
    /// that are over, and progress of jobs running on other instances (for the pages watching them).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
