using Recs.Core.Jobs;

namespace Recs.Web.Jobs;

/// <summary>An immutable copy of a job's state, safe to hand to components and to serialise.</summary>
public sealed record JobSnapshot(
    Guid Id,
    JobKind Kind,
    JobStatus Status,
    string StartedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long Done,
    long? Total,
    double? RatePerSecond,
    TimeSpan? Eta,
    string? Message,
    string? Error,
    DateTimeOffset? PausedUntil,
    string? SpotifyMode,
    string ParametersJson,
    string? ResultJson,
    int Runs,
    DateTimeOffset? UpdatedAt)
{
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled or JobStatus.Interrupted;

    /// <summary>Done as a percentage of the total, when the total is known.</summary>
    public double? Percent => Total is > 0 and var total ? Math.Min(100.0, 100.0 * Done / total) : null;

    public static JobSnapshot From(Job j) => new(
        j.Id, j.Kind, j.Status, j.StartedBy, j.CreatedAt, j.StartedAt, j.FinishedAt, j.Done, j.Total, j.RatePerSecond,
        j.Eta, j.Message, j.Error, j.PausedUntil, j.SpotifyMode, j.ParametersJson, j.ResultJson, j.Runs, j.UpdatedAt);
}
