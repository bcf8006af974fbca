namespace Recs.Core.Jobs;

/// <summary>A job was asked to change in a way its current status does not allow (e.g. to succeed while paused).</summary>
public sealed class InvalidJobTransitionException(Guid jobId, JobKind kind, JobStatus from, string action, IReadOnlyList<JobStatus> allowedFrom)
    : InvalidOperationException(
        $"Job {jobId} ({kind}) cannot {action} while it is {from}; {action} is allowed only from {string.Join(" or ", allowedFrom)}.")
{
    public Guid JobId { get; } = jobId;
    public JobStatus From { get; } = from;
    public string Action { get; } = action;
    public IReadOnlyList<JobStatus> AllowedFrom { get; } = allowedFrom;
}
