namespace Recs.Core.Jobs;

/// <summary>Where a job is in its life.</summary>
public enum JobStatus
{
    Queued,
    Running,
    Paused,
    Succeeded,
    Failed,
    Cancelled,
    Interrupted,
}
