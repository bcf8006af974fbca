using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport.Postgres;

namespace Recs.Tests.TestSupport;

/// <summary>
/// A private database with the real migrations applied, alive as long as this object: a SQLite in-memory database
/// (the default), or with <c>"postgres"</c> a database of its own on the test PostgreSQL server
/// (<see cref="PostgresTestServer"/>), dropped on dispose. Also an <see cref="IDbContextFactory{TContext}"/> so Core
/// services can be tested without a host. Provider-parameterised tests:
/// <code>
/// [Theory, InlineData("sqlite"), PostgresData]
/// public void X(string provider) { using var database = new TestDatabase(provider); … }
/// </code>
/// </summary>
public sealed class TestDatabase : IDbContextFactory<RecsDbContext>, IDisposable
{
    private readonly SqliteConnection? _connection;
    private readonly PostgresTestDatabase? _postgres;
    private readonly DbContextOptions<RecsDbContext> _options;

    public TestDatabase()
        : this("sqlite")
    {
    }

    public TestDatabase(string provider)
    {
        Provider = provider;
        if (provider == "postgres")
        {
            _postgres = PostgresTestServer.CreateDatabase();
            var builder = new DbContextOptionsBuilder<RecsDbContext>();
            PersistenceExtensions.UsePostgres(builder, _postgres.ConnectionString);
            _options = builder.Options;
        }
        else if (provider == "sqlite")
        {
            // A named shared-cache in-memory database lets several connections (one per context) see the same data.
            _connection = new SqliteConnection($"Data Source=file:recs-test-{Guid.NewGuid():N}?mode=memory&cache=shared");
            _connection.Open();
            var builder = new DbContextOptionsBuilder<RecsDbContext>();
            PersistenceExtensions.UseSqlite(builder, _connection.ConnectionString);
            _options = builder.Options;
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgres");
        }

        using var db = CreateDbContext();
        db.Database.Migrate();
    }

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Provider { get; }

    /// <summary>The PostgreSQL connection string (null on SQLite), e.g. to point a host or CLI run at this database.</summary>
    public string? PostgresConnectionString => _postgres?.ConnectionString;

    public RecsDbContext CreateDbContext() => _postgres is not null ? new PostgresRecsDbContext(_options) : new RecsDbContext(_options);

    public void Dispose()
    {
        _connection?.Dispose();
        _postgres?.Dispose();
    }
}
