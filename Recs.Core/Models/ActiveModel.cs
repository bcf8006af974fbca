using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Recs.Core.Persistence;

namespace Recs.Core.Models;

/// <summary>
/// The active model version of this process (singleton). <see cref="Current"/> is a lock-free read of an immutable
/// bundle; <see cref="ModelRegistry"/> swaps it atomically when a version is activated. The first
/// <see cref="GetAsync"/> loads the version marked active in the database; later calls notice (at most every few
/// seconds) when another process, e.g. the <c>train</c> verb, activated a different version.
/// </summary>
public sealed class ActiveModel(IDbContextFactory<RecsDbContext> dbFactory, ILogger<ActiveModel>? logger = null)
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(5);
    private readonly ILogger _logger = logger ?? NullLogger<ActiveModel>.Instance;
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private RecsModel? _current;
    private long _checkedAt;
    private volatile bool _checked;

    /// <summary>The loaded active model, or null when none is active (or it has not been loaded yet: use <see cref="GetAsync"/>).</summary>
    public RecsModel? Current => Volatile.Read(ref _current);

    /// <summary>Why the version marked active could not be loaded, if it could not.</summary>
    public string? LoadError { get; private set; }

    /// <summary>Raised after the active model changed (argument: the new one, or null).</summary>
    public event Action<RecsModel?>? Changed;

    /// <summary>
    /// The active model, loading it from the database and disk when needed. Null when no version is active.
    /// Take it once per request and use that instance throughout.
    /// </summary>
    public async Task<RecsModel?> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_checked && Environment.TickCount64 - Volatile.Read(ref _checkedAt) < RecheckInterval.TotalMilliseconds)
        {
            return Current;
        }

        await RefreshAsync(cancellationToken);
        return Current;
    }

    /// <summary>Reloads when the version marked active in the database is not the one in memory.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _loadLock.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var active = await db.ModelVersions.AsNoTracking().Where(m => m.IsActive)
                .OrderByDescending(m => m.ActivatedAt).FirstOrDefaultAsync(cancellationToken);
            MarkChecked();
            if (active?.Id == Current?.VersionId)
            {
                return;
            }

            RecsModel? next = null;
            if (active is not null)
            {
                try
                {
                    next = RecsModel.Load(active, _logger);
                    LoadError = null;
                }
                catch (InvalidDataException ex)
                {
                    // Keep serving what we have; health reports the error.
                    LoadError = ex.Message;
                    _logger.LogError(ex, "Active model {Version} could not be loaded", active.Id);
                    return;
                }
            }

            Swap(next);
        }
        finally
        {
            _loadLock.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> while no refresh can interleave (the registry flips the database and swaps the
    /// model inside it, so a concurrent refresh never swaps an older version back in).
    /// </summary>
    internal async Task<T> ExclusiveAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _loadLock.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            _loadLock.Release();
        }
    }

    /// <summary>Makes <paramref name="next"/> current (atomic); returns the previous model.</summary>
    internal RecsModel? Swap(RecsModel? next)
    {
        var previous = Interlocked.Exchange(ref _current, next);
        MarkChecked();
        LoadError = null;
        if (!ReferenceEquals(previous, next))
        {
            Changed?.Invoke(next);
        }

        return previous;
    }

    private void MarkChecked()
    {
        Volatile.Write(ref _checkedAt, Environment.TickCount64);
        _checked = true;
    }
}
