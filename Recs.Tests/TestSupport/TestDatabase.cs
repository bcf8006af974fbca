using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Persistence;

namespace Recs.Tests.TestSupport;

/// <summary>
/// A private SQLite in-memory database with the real migrations applied, alive as long as this object.
/// Also an <see cref="IDbContextFactory{TContext}"/> so Core services can be tested without a host.
/// </summary>
public sealed class TestDatabase : IDbContextFactory<RecsDbContext>, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly DbContextOptions<RecsDbContext> _options;

    public TestDatabase()
    {
        // A named shared-cache in-memory database lets several connections (one per context) see the same data.
        _connection = new SqliteConnection($"Data Source=file:recs-test-{Guid.NewGuid():N}?mode=memory&cache=shared");
        _connection.Open();
        _options = new DbContextOptionsBuilder<RecsDbContext>().UseSqlite(_connection.ConnectionString).Options;
        using var db = CreateDbContext();
        db.Database.Migrate();
    }

    public RecsDbContext CreateDbContext() => new(_options);

    public void Dispose() => _connection.Dispose();
}
