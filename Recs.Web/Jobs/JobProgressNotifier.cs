namespace Recs.Web.Jobs;

/// <summary>
/// Tells the components that watch jobs about every state change and progress write (eShop's
/// <c>OrderStatusNotificationService</c>). Components subscribe after their first render, marshal onto their renderer
/// with <c>InvokeAsync</c> and dispose the subscription when they leave.
/// </summary>
public sealed class JobProgressNotifier(ILogger<JobProgressNotifier> logger)
{
    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];

    /// <summary>Calls <paramref name="callback"/> for every job update (filter by id in the callback) until disposed.</summary>
    public IDisposable Subscribe(Func<JobSnapshot, Task> callback)
    {
        var subscription = new Subscription(this, callback);
        lock (_lock)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    /// <summary>Number of live subscriptions (a component that forgets to dispose shows up here).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Count;
            }
        }
    }

    public async Task NotifyAsync(JobSnapshot job)
    {
        Subscription[] targets;
        lock (_lock)
        {
            targets = [.. _subscriptions];
        }

        foreach (var target in targets)
        {
            try
            {
                await target.Callback(job);
            }
            catch (Exception ex)
            {
                // A broken circuit must not stop the job or the other watchers.
                logger.LogWarning(ex, "A job progress subscriber failed");
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private sealed class Subscription(JobProgressNotifier owner, Func<JobSnapshot, Task> callback) : IDisposable
    {
        public Func<JobSnapshot, Task> Callback { get; } = callback;

        public void Dispose() => owner.Remove(this);
    }
}
