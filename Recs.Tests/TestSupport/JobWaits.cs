using Microsoft.Extensions.DependencyInjection;
using Recs.Web.Jobs;

namespace Recs.Tests.TestSupport;

/// <summary>Waits for a job to reach a state, through the app's own progress notifier (no polling loops).</summary>
public static class JobWaits
{
    public static async Task<JobSnapshot> WaitForJobAsync(this IServiceProvider services, Guid jobId, Func<JobSnapshot, bool> condition, TimeSpan? timeout = null)
    {
        var notifier = services.GetRequiredService<JobProgressNotifier>();
        var jobs = services.GetRequiredService<JobService>();
        var reached = new TaskCompletionSource<JobSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = notifier.Subscribe(job =>
        {
            if (job.Id == jobId && condition(job))
            {
                reached.TrySetResult(job);
            }

            return Task.CompletedTask;
        });

        // The state may have been reached before we subscribed.
        if (await jobs.GetAsync(jobId) is { } current && condition(current))
        {
            return current;
        }

        try
        {
            return await reached.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            var last = await jobs.GetAsync(jobId);
            throw new TimeoutException($"Job {jobId} never reached the expected state; last seen: {last}");
        }
    }
}
