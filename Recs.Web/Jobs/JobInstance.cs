using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Recs.Core;

namespace Recs.Web.Jobs;

/// <summary>This instance's identity as a job owner (<see cref="JobsOptions.InstanceId"/>), and its lease settings.</summary>
public sealed class JobInstance(IOptions<JobsOptions> jobs, IOptions<RecsOptions> recs)
{
    /// <summary>The owner name written into the jobs this instance claims.</summary>
    public string Id { get; } = string.IsNullOrWhiteSpace(jobs.Value.InstanceId)
        ? $"{Environment.MachineName}:{Hash(recs.Value.ResolvedDataDirectory)}"
        : jobs.Value.InstanceId.Trim();

    public TimeSpan LeaseDuration => jobs.Value.LeaseDuration;

    public TimeSpan HeartbeatInterval => jobs.Value.HeartbeatInterval;

    public TimeSpan PollInterval => jobs.Value.PollInterval;

    private static string Hash(string path) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..12];
}
