using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Recs.Core;
using Recs.Core.Prediction;
using Recs.Core.Prediction.Training;
using Recs.Core.Threading;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.Threading;

/// <summary>Training stays off the thread pool (issue 11.5): its fits block threads on LightGBM's process-wide lock.</summary>
public sealed class TrainingThreadsTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task EveryStageOfATrainingAfterReadingTheCatalogRunsOnThreadsOutsideThePool()
    {
        await using (var db = _db.CreateDbContext())
        {
            db.CatalogTracks.AddRange(SyntheticCatalog.Tracks(SyntheticCatalog.Examples(150)));
            await db.SaveChangesAsync();
        }

        var models = new TestModels(_db, _dir.Path);
        var trainer = new RecsTrainer(_db, models.Registry, NullLogger<RecsTrainer>.Instance, TimeProvider.System);
        var reports = new ConcurrentQueue<(string Stage, string Message, bool OnPool, string? Thread)>();

        // Progress is reported from inside the work (fold preparation, every regressor fit, evaluation, saving).
        await trainer.TrainAsync(
            new RecsTrainingRequest { OutputDirectory = _dir.File("out"), K = 3, RandomSplit = true, Metadata = SyntheticCatalog.FastOptions },
            new SynchronousProgress<TrainingProgress>(p => reports.Enqueue((p.Stage, p.Message, Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name))));

        var work = reports.Where(r => r.Stage != "load").ToList();
        Assert.Contains(work, r => r.Message.Contains(MetadataModelTrainer.TrainedMessagePrefix, StringComparison.Ordinal));
        Assert.All(work, r =>
        {
            Assert.False(r.OnPool, $"'{r.Stage}: {r.Message}' was reported from a thread-pool thread");
            Assert.StartsWith("Recs training", r.Thread);
        });
    }

    [Fact]
    public async Task AwaitsStartedTasksAndParallelLoopsOnTheCurrentSchedulerStayOnItsThreads()
    {
        using var scheduler = new DedicatedThreadScheduler("test threads", 2);
        var seen = new ConcurrentBag<(string Where, bool OnPool)>();

        await scheduler.Run(async () =>
        {
            seen.Add(("start", Thread.CurrentThread.IsThreadPoolThread));
            await Task.Delay(20);
            seen.Add(("after await", Thread.CurrentThread.IsThreadPoolThread));
            var inner = await CurrentScheduler.Run(() => Thread.CurrentThread.IsThreadPoolThread);
            seen.Add(("started task", inner));
            // Parallel loops queue their workers on the pool unless told otherwise (measured here: half the iterations).
            Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 2, TaskScheduler = TaskScheduler.Current }, _ =>
            {
                Thread.Sleep(5);
                seen.Add(("parallel loop", Thread.CurrentThread.IsThreadPoolThread));
            });
            return 0;
        });

        Assert.Equal(19, seen.Count);
        Assert.All(seen, s => Assert.False(s.OnPool, s.Where));
    }

    [Fact]
    public async Task ATaskQueuedAfterDisposalStillRunsOnThePool()
    {
        var scheduler = new DedicatedThreadScheduler("test threads", 1);
        scheduler.Dispose();

        var onPool = await Task.Factory.StartNew(() => Thread.CurrentThread.IsThreadPoolThread, CancellationToken.None, TaskCreationOptions.None, scheduler);

        Assert.True(onPool);
    }
}
