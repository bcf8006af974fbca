using System.Collections.Concurrent;

namespace Recs.Core.Threading;

/// <summary>
/// A task scheduler with threads of its own (not the thread pool's), for work that blocks threads for long stretches:
/// training, whose LightGBM fits queue on ML.NET's process-wide lock. Work started with <see cref="Run{T}(Func{Task{T}})"/>
/// stays on these threads: <c>await</c> continuations, <c>Task.Factory.StartNew</c> and <c>Parallel.For</c> all use
/// <see cref="TaskScheduler.Current"/>, which is this scheduler while its tasks run. The thread pool — which a Blazor
/// Server app needs for its circuits and requests — is left alone however long the threads wait (ADR-110).
/// </summary>
/// <remarks>
/// Threads are background threads; they finish the queued work and end once the scheduler is disposed. A task queued
/// after that (a late continuation) runs on the thread pool rather than being lost. Tasks may run inline on the scheduler's own threads, so
/// a thread waiting for a task of this scheduler (Parallel.For waiting for a replica) runs it itself instead of waiting
/// for a free thread.
/// </remarks>
public sealed class DedicatedThreadScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _tasks = new();
    private readonly Thread[] _threads;
    [ThreadStatic]
    private static DedicatedThreadScheduler? _owner;

    private int _disposed;

    /// <param name="name">Thread name, shown in debuggers and dumps.</param>
    /// <param name="threads">Number of threads.</param>
    public DedicatedThreadScheduler(string name, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"{name} {i + 1}" };
            _threads[i].Start();
        }
    }

    public override int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>Threads the scheduler owns (for tests and diagnostics).</summary>
    public IReadOnlyList<int> ManagedThreadIds => _threads.Select(t => t.ManagedThreadId).ToList();

    /// <summary>Runs <paramref name="work"/> on these threads, continuations included.</summary>
    public Task<T> Run<T>(Func<Task<T>> work, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    /// <summary>Runs synchronous <paramref name="work"/> on these threads.</summary>
    public Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.DenyChildAttach, this);

    /// <summary>Lets the threads end once the queued work is done (it does not wait for them).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _tasks.CompleteAdding();
        }
    }

    protected override void QueueTask(Task task)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                _tasks.Add(task);
                return;
            }
            catch (InvalidOperationException)
            {
                // Completed for adding a moment ago: fall through.
            }
        }

        ThreadPool.UnsafeQueueUserWorkItem(_ => TryExecuteTask(task), null);
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        ReferenceEquals(_owner, this) && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();

    private void Work()
    {
        _owner = this;
        foreach (var task in _tasks.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
