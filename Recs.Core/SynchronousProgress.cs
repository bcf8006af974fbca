namespace Recs.Core;

/// <summary>
/// Reports on the caller's thread, in order: <see cref="Progress{T}"/> posts each report to the thread pool, so its
/// reports can arrive out of order and after "done". The one such type for the app, its CLI and its tests.
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
