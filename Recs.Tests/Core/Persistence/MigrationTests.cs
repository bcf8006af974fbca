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
    public void BothProvidersHaveTheSameMigrations()
    {
        // A schema change must reach both sets (ADR-150): the names after the timestamp match one for one, apart from
        // the SQLite set's older history (InitialCreate + SharedStateTables are PostgreSQL's InitialCreate).
        static List<string> Names(RecsDbContext db) => db.Database.GetMigrations().Select(m => m[(m.IndexOf('_') + 1)..]).ToList();
        using var sqlite = new TestDatabase();
        using var sqliteDb = sqlite.CreateDbContext();
        var postgresOptions = new DbContextOptionsBuilder<RecsDbContext>().UseNpgsql("Host=unused").Options;
        using var postgresDb = new PostgresRecsDbContext(postgresOptions);

        var sqliteNames = Names(sqliteDb).Except(["SharedStateTables"]).ToList();
        Assert.Equal(sqliteNames, Names(postgresDb));
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
