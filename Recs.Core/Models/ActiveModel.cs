using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Recs.Core.Persistence;
using Recs.Core.Prediction;

namespace Recs.Core.Models;

/// <summary>
/// The active model version of this process (singleton). <see cref="Current"/> is a lock-free read of an immutable
/// bundle, swapped atomically when the version marked active in the database changes: by <see cref="ModelRegistry"/>
/// on this instance, or by <see cref="RefreshAsync"/>, which the web host's poller calls every
/// <see cref="RecsModelsOptions.PollInterval"/> so that an activation or rollback on another instance (or by the
/// <c>train</c> verb) is served here within seconds (ADR-151). A request takes the model once and finishes on it.
/// </summary>
/// <remarks>
/// Cold start (issue 13.1): until the first look at the registry has finished, <see cref="IsStarting"/> is true,
/// readiness says "starting: loading model", and every <see cref="GetAsync"/> waits for that one load (single-flight:
/// concurrent refreshes share one task), so "no model is active" is answered only when none is.
/// </remarks>
public sealed class ActiveModel(
    IDbContextFactory<RecsDbContext> dbFactory, ModelFileStore? files = null, ILogger<ActiveModel>? logger = null)
{
    /// <summary>Without a poller (CLI verbs, tests), <see cref="GetAsync"/> looks at the registry again when its last look is older than this.</summary>
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>How often a version marked active that failed to load is tried again.</summary>
    private static readonly TimeSpan RetryBrokenInterval = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger = logger ?? NullLogger<ActiveModel>.Instance;
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private readonly Lock _refreshGate = new();
    private Task? _refreshing;
    private RecsModel? _current;
    private long _checkedAt;
    private volatile bool _checked;
    private volatile bool _polled;
    private volatile string? _loadError;
    private long _loads;
    private string? _failedVersion;
    private long _failedAt;

    /// <summary>The loaded active model, or null when none is active (or it has not been loaded yet: use <see cref="GetAsync"/>).</summary>
    public RecsModel? Current => Volatile.Read(ref _current);

    /// <summary>Why the version marked active could not be loaded, if it could not.</summary>
    public string? LoadError => _loadError;

    /// <summary>True until the registry was read once and its active version (if any) loaded or found broken.</summary>
    public bool IsStarting => !_checked;

    /// <summary>How many times this process loaded a model version from its files (diagnostics: a cold start loads once).</summary>
    public long Loads => Interlocked.Read(ref _loads);

    /// <summary>Raised after the active model changed (argument: the new one, or null).</summary>
    public event Action<RecsModel?>? Changed;

    /// <summary>
    /// The active model, waiting for the first load when it is still running. Null only when no version is active
    /// (or the active one cannot be loaded: <see cref="LoadError"/>). Take it once per request and use that instance throughout.
    /// </summary>
    public async Task<RecsModel?> GetAsync(CancellationToken cancellationToken = default)
    {
        if (!_checked || (!_polled && Environment.TickCount64 - Volatile.Read(ref _checkedAt) >= RecheckInterval.TotalMilliseconds))
        {
            await RefreshAsync(cancellationToken);
        }

        return Current;
    }

    /// <summary>Marks that a poller calls <see cref="RefreshAsync"/> regularly, so requests never read the registry themselves.</summary>
    public void UsePolling() => _polled = true;

    /// <summary>
    /// Reloads when the version marked active in the database is not the one in memory. Concurrent callers share one
    /// refresh (the cold start loads once however many requests arrive); cancelling a caller stops its wait, not the load.
    /// </summary>
    public Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        Task task;
        lock (_refreshGate)
        {
            task = _refreshing ??= Task.Run(async () =>
            {
                try
                {
                    await RefreshCoreAsync();
                }
                finally
                {
                    lock (_refreshGate)
                    {
                        _refreshing = null;
                    }
                }
            });
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task RefreshCoreAsync()
    {
        await _loadLock.WaitAsync();
        try
        {
            ModelVersion? active;
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                active = await db.ModelVersions.AsNoTracking().Where(m => m.IsActive)
                    .OrderByDescending(m => m.ActivatedAt).FirstOrDefaultAsync();
            }

            if (active?.Id == Current?.VersionId)
            {
                MarkChecked();
                return;
            }

            if (active is not null && active.Id == _failedVersion && Environment.TickCount64 - _failedAt < RetryBrokenInterval.TotalMilliseconds)
            {
                MarkChecked(); // the same broken version: retried now and then, not at every poll
                return;
            }

            RecsModel? next = null;
            if (active is not null)
            {
                try
                {
                    next = await LoadAsync(active);
                }
                catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    // Keep serving what we have; health and the API report the error.
                    _loadError = $"model version {active.Id}: {ex.Message}";
                    (_failedVersion, _failedAt) = (active.Id, Environment.TickCount64);
                    _logger.LogError(ex, "Active model {Version} could not be loaded", active.Id);
                    MarkChecked();
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

    /// <summary>Loads a version (<see cref="ModelFileStore.LoadAsync{T}"/>: from a directory whose files match the database, else this instance's copy written from it).</summary>
    internal async Task<RecsModel> LoadAsync(ModelVersion version, CancellationToken cancellationToken = default)
    {
        var model = files is null
            ? await Task.Run(() => Loader(version, _logger), cancellationToken)
            : await files.LoadAsync(version, v => Loader(v, _logger), cancellationToken);
        Interlocked.Increment(ref _loads);
        return model;
    }

    /// <summary>Reads a version's files (tests wrap it to change a directory between the check and the read).</summary>
    internal Func<ModelVersion, ILogger, RecsModel> Loader { get; set; } = RecsModel.Load;

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
        _loadError = null;
        _failedVersion = null;
        MarkChecked();
        if (!ReferenceEquals(previous, next))
        {
            if (next is not null)
            {
                _logger.LogInformation("Serving model version {Version}", next.VersionId);
            }

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
