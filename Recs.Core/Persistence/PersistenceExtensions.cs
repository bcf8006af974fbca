using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Recs.Core.Persistence;

public static class PersistenceExtensions
{
    /// <summary>The connection string name for PostgreSQL: <c>ConnectionStrings:Recs</c>.</summary>
    public const string ConnectionStringName = "Recs";

    /// <summary>
    /// Registers <see cref="RecsOptions"/> and a <see cref="RecsDbContext"/> factory: SQLite in the data directory, or
    /// PostgreSQL at <c>ConnectionStrings:Recs</c> when <c>Recs:Database:Provider</c> is <c>postgres</c> (ADR-150).
    /// </summary>
    public static IHostApplicationBuilder AddRecsPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RecsOptions>()
            .Bind(builder.Configuration.GetSection(RecsOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), $"{RecsOptions.SectionName}:DataDirectory must not be empty.")
            .Validate(o => o.Database.NormalizedProvider is RecsDatabaseOptions.Sqlite or RecsDatabaseOptions.Postgres,
                $"{RecsOptions.SectionName}:Database:Provider must be '{RecsDatabaseOptions.Sqlite}' or '{RecsDatabaseOptions.Postgres}'.")
            .ValidateOnStart();

        builder.Services.AddDbContextFactory<RecsDbContext, RecsDbContextFactory>((sp, options) =>
        {
            var recs = sp.GetRequiredService<IOptions<RecsOptions>>().Value;
            Configure(options, recs, sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName));
        });
        builder.Services.AddSingleton<RecsDatabaseLocks>();
        return builder;
    }

    /// <summary>
    /// How <c>ids.Contains(x)</c> reaches SQL: as one array-like parameter (<c>json_each(@ids)</c> on SQLite,
    /// <c>= ANY(@ids)</c> on PostgreSQL), not EF Core 10's default of one parameter per element. Recs asks about
    /// thousands of ids at a time (a library's tracks, a catalog chunk): one parameter per id made the SQL text,
    /// its compilation and the binding the cost (10,000 cached ids: 1.2–1.6 s of CPU, now ~0.1 s; BENCHMARKS, features service).
    /// </summary>
    internal const ParameterTranslationMode OneCollectionParameter = ParameterTranslationMode.Parameter;

    /// <summary>Points <paramref name="options"/> at the configured database.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL without a connection string, or an unknown provider.</exception>
    public static void Configure(DbContextOptionsBuilder options, RecsOptions recs, string? connectionString)
    {
        switch (recs.Database.NormalizedProvider)
        {
            case RecsDatabaseOptions.Sqlite:
                Directory.CreateDirectory(recs.ResolvedDataDirectory);
                UseSqlite(options, $"Data Source={recs.DatabasePath};Cache=Shared;Pooling=True");
                break;
            case RecsDatabaseOptions.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        $"{RecsOptions.SectionName}:Database:Provider is postgres but ConnectionStrings:{ConnectionStringName} is empty: " +
                        "give it, e.g. \"--ConnectionStrings:Recs=Host=db;Database=recs;Username=recs;Password=…\" or ConnectionStrings__Recs=…");
                }

                UsePostgres(options, connectionString);
                break;
            default:
                throw new InvalidOperationException(
                    $"{RecsOptions.SectionName}:Database:Provider '{recs.Database.Provider}' is not known: use '{RecsDatabaseOptions.Sqlite}' or '{RecsDatabaseOptions.Postgres}'");
        }
    }

    /// <summary>SQLite as Recs uses it (the same for the app, the CLI and the tests).</summary>
    internal static DbContextOptionsBuilder UseSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(120).UseParameterizedCollectionMode(OneCollectionParameter));

    /// <summary>PostgreSQL as Recs uses it (the same for the app, the CLI and the tests).</summary>
    internal static DbContextOptionsBuilder UsePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.CommandTimeout(120).UseParameterizedCollectionMode(OneCollectionParameter));

    /// <summary>True when the context runs on PostgreSQL.</summary>
    public static bool IsPostgres(this RecsDbContext db) => db is PostgresRecsDbContext;

    /// <summary>
    /// Applies the real migrations (creating the database when it does not exist). Safe when several instances start at
    /// once: EF Core's migration lock serialises them (on PostgreSQL a table lock on the history table, which Recs
    /// takes behind its own advisory lock so that even creating the history table cannot race; ADR-150).
    /// </summary>
    public static async Task MigrateRecsDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<RecsDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.IsPostgres())
        {
            var locks = services.GetRequiredService<RecsDatabaseLocks>();
            await using var _ = await locks.AcquireAsync(RecsDatabaseLocks.Migrations, cancellationToken);
            // On an empty database EF reads the history table before creating it and logs that failed SELECT as an
            // error (dotnet/efcore#37328), the first line a user sees; creating the table first (under the lock) avoids it.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        await db.Database.MigrateAsync(cancellationToken);
        // WAL lets the web app read while a job writes.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}

/// <summary>
/// Hands out <see cref="RecsDbContext"/> on SQLite and <see cref="PostgresRecsDbContext"/> on PostgreSQL from one set of
/// options, so every feature asks for <see cref="IDbContextFactory{RecsDbContext}"/> whatever the provider.
/// </summary>
internal sealed class RecsDbContextFactory(DbContextOptions<RecsDbContext> options) : IDbContextFactory<RecsDbContext>
{
    private readonly bool _postgres = options.Extensions.Any(e => e.GetType().Name == "NpgsqlOptionsExtension");

    public RecsDbContext CreateDbContext() => _postgres ? new PostgresRecsDbContext(options) : new RecsDbContext(options);
}

/// <summary>Design time (<c>dotnet ef … --context RecsDbContext</c>): the SQLite migrations set.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<RecsDbContext>
{
    public RecsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<RecsDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>
/// Design time (<c>dotnet ef … --context PostgresRecsDbContext</c>): the PostgreSQL migrations set. Adding a migration
/// does not connect; <c>database update</c> uses <c>ConnectionStrings__Recs</c> when set.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresRecsDbContext>
{
    public PostgresRecsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresRecsDbContext>();
        PersistenceExtensions.UsePostgres(options,
            Environment.GetEnvironmentVariable("ConnectionStrings__Recs") is { Length: > 0 } cs ? cs : "Host=localhost;Database=recs_design_time");
        return new PostgresRecsDbContext(options.Options);
    }
}
