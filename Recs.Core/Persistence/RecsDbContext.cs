using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Accounts;
using Recs.Core.Catalog;
using Recs.Core.FeatureServices;
using Recs.Core.Jobs;
using Recs.Core.Libraries;
using Recs.Core.Models;
using Recs.Core.Prediction;

namespace Recs.Core.Persistence;

/// <summary>
/// The Recs database. Features use it directly (no repository layer, see ADR-001); one context per
/// unit of work through <see cref="IDbContextFactory{TContext}"/>.
/// </summary>
/// <remarks>
/// <para>
/// Two providers, one model (ADR-150): SQLite (<c>Recs:Database:Provider=sqlite</c>, the default) uses this class;
/// PostgreSQL uses <see cref="PostgresRecsDbContext"/>, a subclass that only exists so that each provider has its own
/// migrations set and model snapshot. The factory registered by <see cref="PersistenceExtensions.AddRecsPersistence"/>
/// hands out the right one as a <see cref="RecsDbContext"/>; features never see the difference.
/// </para>
/// <para>
/// <b>A schema change needs a migration for BOTH providers</b> (same name), from the repository root:
/// <code>
/// dotnet tool restore
/// dotnet ef migrations add Name --project Recs.Core --startup-project Recs.Web --context RecsDbContext --output-dir Persistence/Migrations
/// dotnet ef migrations add Name --project Recs.Core --startup-project Recs.Web --context PostgresRecsDbContext --output-dir Persistence/Migrations/Postgres
/// </code>
/// No database is needed for either (the design-time factory of each context supplies the provider).
/// <c>MigrationTests</c> fails when either set misses a model change. When merging main brings another migration
/// into one set, take main's migrations and snapshots and regenerate yours on top (for both sets).
/// </para>
/// </remarks>
public class RecsDbContext : DbContext, IDataProtectionKeyContext
{
    public RecsDbContext(DbContextOptions<RecsDbContext> options)
        : base(options)
    {
    }

    /// <summary>For the provider-specific subclass (<see cref="PostgresRecsDbContext"/>).</summary>
    protected RecsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<CatalogTrack> CatalogTracks => Set<CatalogTrack>();
    public DbSet<Artist> Artists => Set<Artist>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();

    /// <summary>The files of each model version, so every instance can load every version (ADR-151).</summary>
    public DbSet<ModelVersionFile> ModelVersionFiles => Set<ModelVersionFile>();

    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<UserLibrary> UserLibraries => Set<UserLibrary>();
    public DbSet<UserLibraryTrack> UserLibraryTracks => Set<UserLibraryTrack>();
    public DbSet<ListenerPreference> ListenerPreferences => Set<ListenerPreference>();
    public DbSet<UserAccount> UserAccounts => Set<UserAccount>();
    public DbSet<UserToken> UserTokens => Set<UserToken>();
    public DbSet<FeatureServiceMiss> FeatureServiceMisses => Set<FeatureServiceMiss>();
    public DbSet<AdminSetting> AdminSettings => Set<AdminSetting>();

    /// <summary>ASP.NET Core Data Protection keys, shared by every instance (cookies, stored Spotify tokens).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(RecsDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset; store it as UTC ticks-friendly binary. PostgreSQL keeps the same
        // representation so both providers run the same queries and the import's raw SQL binds the same values.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>
/// <see cref="RecsDbContext"/> on PostgreSQL: the same model, its own migrations (Persistence/Migrations/Postgres) and
/// snapshot. See the remarks of <see cref="RecsDbContext"/> for adding a migration.
/// </summary>
public sealed class PostgresRecsDbContext : RecsDbContext
{
    public PostgresRecsDbContext(DbContextOptions<PostgresRecsDbContext> options)
        : base(options)
    {
    }

    /// <summary>Used by the runtime factory, which builds one <see cref="DbContextOptions{RecsDbContext}"/> for either provider.</summary>
    public PostgresRecsDbContext(DbContextOptions<RecsDbContext> options)
        : base((DbContextOptions)options)
    {
    }
}
