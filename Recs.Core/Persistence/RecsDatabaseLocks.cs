using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Recs.Core.Persistence;

/// <summary>
/// Named locks held across every process that shares the database, for one-off start-up work (migrations, demo
/// seeding). PostgreSQL: a session advisory lock on a connection of its own, released when the holder disposes it or
/// its connection dies with the process (so a crashed instance never leaves it taken). SQLite: an exclusive lock file
/// beside <c>recs.db</c> (the processes sharing a SQLite database share its directory); the OS releases it on exit.
/// </summary>
public sealed class RecsDatabaseLocks(
    IDbContextFactory<RecsDbContext> dbFactory, IOptions<RecsOptions> recsOptions, ILogger<RecsDatabaseLocks>? logger = null)
{
    /// <summary>Applying migrations.</summary>
    public const string Migrations = "migrations";

    /// <summary>Generating the demo catalog and model.</summary>
    public const string DemoSeeding = "demo-seeding";

    private readonly ILogger _logger = logger ?? NullLogger<RecsDatabaseLocks>.Instance;

    /// <summary>Waits until the lock is free and takes it; dispose the result to release it.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken = default) =>
        await TryAcquireAsync(name, wait: true, cancellationToken) ?? throw new InvalidOperationException("unreachable: a waiting acquire returned nothing");

    /// <summary>Takes the lock when it is free; null when another holder has it.</summary>
    public Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken = default) =>
        TryAcquireAsync(name, wait: false, cancellationToken);

    private async Task<IAsyncDisposable?> TryAcquireAsync(string name, bool wait, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return db.IsPostgres()
            ? await AcquirePostgresAsync(db.Database.GetConnectionString()!, name, wait, cancellationToken)
            : await AcquireFileAsync(name, wait, cancellationToken);
    }

    private async Task<IAsyncDisposable?> AcquirePostgresAsync(string connectionString, string name, bool wait, CancellationToken cancellationToken)
    {
        // Pooling off: the lock belongs to the session, which must end (not return to a pool) when released.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = wait ? "SELECT pg_advisory_lock(hashtext($1))" : "SELECT pg_try_advisory_lock(hashtext($1))";
            command.CommandTimeout = 0;
            command.Parameters.Add(new NpgsqlParameter { Value = "recs:" + name });
            var result = await command.ExecuteScalarAsync(cancellationToken);
            if (!wait && result is false)
            {
                await connection.DisposeAsync();
                return null;
            }

            _logger.LogDebug("Took database lock {Name}", name);
            return new Releaser(async () =>
            {
                await connection.DisposeAsync(); // closing the session releases its advisory locks
                _logger.LogDebug("Released database lock {Name}", name);
            });
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<IAsyncDisposable?> AcquireFileAsync(string name, bool wait, CancellationToken cancellationToken)
    {
        var directory = recsOptions.Value.ResolvedDataDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"recs.db.{name}.lock");
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
                return new Releaser(() => stream.DisposeAsync());
            }
            catch (IOException) when (wait)
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    private sealed class Releaser(Func<ValueTask> release) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? release() : ValueTask.CompletedTask;
    }
}

/// <summary>Connection helpers that do not depend on the provider.</summary>
internal static class DbConnectionExtensions
{
    public static DbCommand Command(this DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
