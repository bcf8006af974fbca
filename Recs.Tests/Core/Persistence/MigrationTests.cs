using Microsoft.EntityFrameworkCore;
using Recs.Core.Catalog;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Postgres;

namespace Recs.Tests.Core.Persistence;

public sealed class MigrationTests
{
    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public void MigrationsCreateEverySchemaTheModelNeeds(string provider)
    {
        using var database = new TestDatabase(provider);
        using var db = database.CreateDbContext();

        Assert.Empty(db.Database.GetPendingMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"the model has changes no {provider} migration captures: add a migration for both providers (see RecsDbContext's remarks)");
    }

    [Fact]
    public void EverySchemaChangeSinceThePostgresBaselineHasAMigrationForBothProviders()
    {
        // ADR-150: PostgreSQL's InitialCreate holds the schema as it was when PostgreSQL support came; every SQLite migration
        // after it needs a PostgreSQL twin of the same name (and the other way round).
        using var sqlite = new TestDatabase();
        using var sqliteDb = sqlite.CreateDbContext();
        using var postgresDb = new PostgresRecsDbContext(new DbContextOptionsBuilder<RecsDbContext>().UseNpgsql("Host=unused").Options);
        var postgres = postgresDb.Database.GetMigrations().ToList();
        var baseline = postgres[0];

        static string Name(string id) => id[(id.IndexOf('_') + 1)..];
        var sqliteAfter = sqliteDb.Database.GetMigrations().Where(m => string.CompareOrdinal(m, baseline) > 0).Select(Name).ToList();
        Assert.Equal("InitialCreate", Name(baseline));
        Assert.Equal(sqliteAfter, postgres.Skip(1).Select(Name).ToList());
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public void ACatalogTrackRoundTripsThroughTheDatabase(string provider)
    {
        using var database = new TestDatabase(provider);
        var importedAt = new DateTimeOffset(2026, 12, 6, 1, 2, 3, TimeSpan.Zero);
        using (var db = database.CreateDbContext())
        {
            db.CatalogTracks.Add(new CatalogTrack { Id = "4uLU6hMCjMI75M1A2tKUQC", Name = "Sông ☕", Artists = "A;B", Tempo = 120.5, Loudness = -5.25, TrackGenres = "pop;rock", ImportedAt = importedAt });
            db.SaveChanges();
        }

        using var read = database.CreateDbContext();
        var track = read.CatalogTracks.Single();
        Assert.Equal(("Sông ☕", "A;B", 120.5, -5.25, "pop;rock", importedAt), (track.Name, track.Artists, track.Tempo, track.Loudness, track.TrackGenres, track.ImportedAt));
    }
}
