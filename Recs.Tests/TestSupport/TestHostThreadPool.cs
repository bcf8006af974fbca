using System.Runtime.CompilerServices;

namespace Recs.Tests.TestSupport;

/// <summary>
/// The test process hosts dozens of Recs apps side by side, and their trainings block thread-pool threads while they
/// queue on ML.NET's process-wide LightGBM lock (one LightGBM fit at a time per process). With the pool's default
/// minimum (one thread per core: two on CI) work items sat queued for seconds: tracing a full run every half second,
/// more than 5 were pending in 25 of 258 samples, up to 63, once 35 for 2.5 s with 11 threads — long enough for a
/// browser journey's page to miss its timeouts (3 of 11 full runs here had one such failure). With this minimum, 1 and
/// 4 samples of ~230 in two runs. It lets the pool start threads at once instead of one every half second, and
/// changes nothing the tests check.
/// </summary>
internal static class TestHostThreadPool
{
    [ModuleInitializer]
    internal static void RaiseMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}
