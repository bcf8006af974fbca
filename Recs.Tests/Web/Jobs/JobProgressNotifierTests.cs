using Microsoft.Extensions.Logging.Abstractions;
using Recs.Core.Jobs;
using Recs.Web.Jobs;

namespace Recs.Tests.Web.Jobs;

public sealed class JobProgressNotifierTests
{
    private static readonly JobSnapshot Update = RunningJob();

    [Fact]
    public async Task ADisposedSubscriptionIsNoLongerCalledAndLeavesNothingBehind()
    {
        var notifier = new JobProgressNotifier(NullLogger<JobProgressNotifier>.Instance);
        var seen = new List<JobSnapshot>();
        var subscription = notifier.Subscribe(job => { seen.Add(job); return Task.CompletedTask; });

        await notifier.NotifyAsync(Update);
        subscription.Dispose();
        await notifier.NotifyAsync(Update);

        Assert.Single(seen);
        Assert.Equal(0, notifier.SubscriberCount);
    }

    [Fact]
    public async Task ABrokenSubscriberDoesNotStopTheOthers()
    {
        var notifier = new JobProgressNotifier(NullLogger<JobProgressNotifier>.Instance);
        var seen = 0;
        using var broken = notifier.Subscribe(_ => throw new InvalidOperationException("circuit gone"));
        using var healthy = notifier.Subscribe(_ => { seen++; return Task.CompletedTask; });

        await notifier.NotifyAsync(Update);

        Assert.Equal(1, seen);
        Assert.Equal(50.0, Update.Percent);
    }

    private static JobSnapshot RunningJob()
    {
        var now = DateTimeOffset.UtcNow;
        var job = Job.Create(new TrainingParameters(), "admin-1", now);
        job.Start(now);
        job.ReportProgress(5, 10, null, null, null, now);
        return JobSnapshot.From(job);
    }
}
