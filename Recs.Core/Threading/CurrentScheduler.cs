namespace Recs.Core.Threading;

/// <summary>
/// <c>Task.Run</c> for code that must stay where it runs: starts work on <see cref="TaskScheduler.Current"/> (a
/// <see cref="DedicatedThreadScheduler"/> inside training) instead of always on the thread pool as <c>Task.Run</c> does.
/// Outside a custom scheduler it is the thread pool, exactly like <c>Task.Run</c>.
/// </summary>
public static class CurrentScheduler
{
    public static Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.DenyChildAttach, TaskScheduler.Current);

    public static Task<T> Run<T>(Func<Task<T>> work, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.DenyChildAttach, TaskScheduler.Current).Unwrap();
}
