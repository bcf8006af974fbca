using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Recs.Core.Jobs;

namespace Recs.Web.Jobs;

/// <summary>
/// One bounded channel of job ids per <see cref="JobKind"/> (the ASP.NET Core docs' <c>BackgroundTaskQueue</c>), each
/// drained by its own <see cref="JobRunner"/>, so a long training never holds up an import.
/// </summary>
public sealed class JobQueue
{
    private readonly Dictionary<JobKind, Channel<Guid>> _channels;

    public JobQueue(IOptions<JobsOptions> options)
    {
        _channels = Enum.GetValues<JobKind>().ToDictionary(
            k => k,
            _ => Channel.CreateBounded<Guid>(new BoundedChannelOptions(options.Value.QueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            }));
    }

    /// <summary>Queues a job id; false when the kind's queue is full.</summary>
    public bool TryEnqueue(JobKind kind, Guid jobId) => _channels[kind].Writer.TryWrite(jobId);

    public ChannelReader<Guid> Reader(JobKind kind) => _channels[kind].Reader;
}
