using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Jobs;

namespace Recs.Tests.TestSupport;

/// <summary>
/// A job handler whose run a test scripts, so the job framework (queue, runners, progress, cancel, pause, recovery)
/// is exercised for real while the test decides what the job does and when it finishes.
/// </summary>
public sealed class ScriptedJobHandler(JobKind kind, bool resumable) : IJobHandler
{
    private readonly Channel<JobRun> _runs = Channel.CreateUnbounded<JobRun>();

    public JobKind Kind { get; } = kind;
    public bool Resumable { get; } = resumable;

    /// <summary>What a run does; by default it waits for <see cref="Release"/> or cancellation.</summary>
    public Func<JobRun, CancellationToken, Task<JobOutcome>>? Script { get; set; }

    /// <summary>Completes the default script's wait.</summary>
    public TaskCompletionSource Release { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every run the handler was given, in order.</summary>
    public List<JobRun> Runs { get; } = [];

    public async Task<JobOutcome> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        lock (Runs)
        {
            Runs.Add(run);
        }

        await _runs.Writer.WriteAsync(run, cancellationToken);
        return await (Script ?? WaitForReleaseAsync)(run, cancellationToken);
    }

    /// <summary>Waits until the handler has been given its next run.</summary>
    public async Task<JobRun> NextRunAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        return await _runs.Reader.ReadAsync(cts.Token);
    }

    public void ResetRelease() => Release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<JobOutcome> WaitForReleaseAsync(JobRun run, CancellationToken cancellationToken)
    {
        run.Progress.Report(new JobProgress(3, 10, "three of ten"));
        await Release.Task.WaitAsync(cancellationToken);
        run.Progress.Report(new JobProgress(10, 10, "all ten"));
        return JobOutcome.Succeeded(new { items = 10 }, "done: 10 items");
    }

    /// <summary>Registers the handler so it wins over the app's own handler of the same kind.</summary>
    public Action<IServiceCollection> Register() => services => services.AddSingleton<IJobHandler>(this);
}
