using Microsoft.EntityFrameworkCore;
using Recs.Core.Accounts;
using Recs.Core.Catalog;
using Recs.Core.FeatureServices;
using Recs.Core.Jobs;
using Recs.Core.Libraries;
using Recs.Core.Prediction;

namespace Recs.Core.Persistence;

/// <summary>
/// The Recs database. Features use it directly (no repository layer, see ADR-001); one context per
/// unit of work through <see cref="IDbContextFactory{TContext}"/>.
/// </summary>
/// <remarks>
/// Migrations live in Persistence/Migrations; add one with
/// <c>dotnet ef migrations add Name --project Recs.Core --startup-project Recs.Web --output-dir Persistence/Migrations</c>.
/// </remarks>
public sealed class RecsDbContext(DbContextOptions<RecsDbContext> options) : DbContext(options)
{
    public DbSet<CatalogTrack> CatalogTracks => Set<CatalogTrack>();
    public DbSet<Artist> Artists => Set<Artist>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<UserLibrary> UserLibraries => Set<UserLibrary>();
    public DbSet<UserLibraryTrack> UserLibraryTracks => Set<UserLibraryTrack>();
    public DbSet<ListenerPreference> ListenerPreferences => Set<ListenerPreference>();
    public DbSet<UserAccount> UserAccounts => Set<UserAccount>();
    public DbSet<UserToken> UserTokens => Set<UserToken>();
    public DbSet<FeatureServiceMiss> FeatureServiceMisses => Set<FeatureServiceMiss>();
    public DbSet<AdminSetting> AdminSettings => Set<AdminSetting>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(RecsDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset; store it as UTC ticks-friendly binary.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}
