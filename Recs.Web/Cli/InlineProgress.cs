namespace Recs.Web.Cli;

/// <summary>Reports on the caller's thread, so progress lines keep their order (Progress&lt;T&gt; posts to the pool).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
