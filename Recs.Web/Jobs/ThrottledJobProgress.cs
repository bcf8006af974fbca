using Microsoft.EntityFrameworkCore;
using Recs.Core.Jobs;
using Recs.Core.Persistence;

namespace Recs.Web.Jobs;

/// <summary>
/// The progress sink handed to a job handler. <see cref="Report"/> only records the latest value (it is called on the
/// job's hot path); a timer writes it to the database and notifies watchers at most once per interval.
/// </summary>
internal sealed class ThrottledJobProgress : IProgress<JobProgress>, IAsyncDisposable
{
    private readonly Job _job;
    private readonly RecsDbContext _db;
    private readonly JobService _jobs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;
    private readonly Lock _lock = new();
    private readonly long _doneAtStart;
    private readonly long _startTimestamp;
    private readonly int? _savedCommandTimeout;
    private JobProgress? _latest;
    private bool _stopped;

    public ThrottledJobProgress(Job job, RecsDbContext db, JobService jobs, TimeProvider time, TimeSpan interval, ILogger logger)
    {
        _job = job;
        _db = db;
        _jobs = jobs;
        _time = time;
        _logger = logger;
        _doneAtStart = job.Done;
        _startTimestamp = time.GetTimestamp();

        // Progress writes are best effort: a short timeout keeps the loop reporting while another writer holds the lock.
        _savedCommandTimeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(TimeSpan.FromSeconds(2));
        _timer = new PeriodicTimer(interval, time);
        _loop = LoopAsync();
    }

    public void Report(JobProgress value)
    {
        lock (_lock)
        {
            _latest = value;
        }
    }

    /// <summary>Stops the timer and writes the last report to the job (the caller saves it with the end state).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _timer.Dispose();
        await _loop;
        _db.Database.SetCommandTimeout(_savedCommandTimeout);
        Apply();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task LoopAsync()
    {
        while (await _timer.WaitForNextTickAsync())
        {
            if (!Apply())
            {
                continue;
            }

            // Watchers (the job page, the API) see the progress at once, whatever the database does: on SQLite a
            // catalog import holds the one write lock for its whole transaction, so the write below waits (issue 13.7).
            await _jobs.PublishAsync(_job);
            try
            {
                // The job's context is used by this loop only until StopAsync returns; the runner saves after that.
                await _db.SaveChangesAsync();
            }
            catch (Exception ex)
            {
                _logger.LogDebug(ex, "Could not write the progress of job {JobId} yet (the database is busy); watchers were told", _job.Id);
            }
        }
    }

    /// <summary>Copies the latest report onto the tracked job; false when there was nothing new.</summary>
    private bool Apply()
    {
        JobProgress value;
        lock (_lock)
        {
            if (_latest is not { } latest)
            {
                return false;
            }

            value = latest;
            _latest = null;
        }

        var seconds = _time.GetElapsedTime(_startTimestamp).TotalSeconds;
        double? rate = seconds > 0.2 && value.Done >= _doneAtStart ? (value.Done - _doneAtStart) / seconds : null;
        _job.ReportProgress(value.Done, value.Total, value.Message, value.SpotifyMode, rate, _time.GetUtcNow());
        return true;
    }
}
