using Microsoft.EntityFrameworkCore;
using Recs.Core.Catalog;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.Persistence;

public sealed class MigrationTests
{
    [Fact]
    public void MigrationsCreateEverySchemaTheModelNeeds()
    {
        using var database = new TestDatabase();
        using var db = database.CreateDbContext();

        Assert.Empty(db.Database.GetPendingMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no migration captures: add a migration");
    }

    [Fact]
    public void ACatalogTrackRoundTripsThroughTheDatabase()
    {
        using var database = new TestDatabase();
        using (var db = database.CreateDbContext())
        {
            db.CatalogTracks.Add(new CatalogTrack { Id = "4uLU6hMCjMI75M1A2tKUQC", Name = "Song", Artists = "A;B", Tempo = 120.5, Loudness = -5.25, TrackGenres = "pop;rock", ImportedAt = DateTimeOffset.UtcNow });
            db.SaveChanges();
        }

        using var read = database.CreateDbContext();
        var track = read.CatalogTracks.Single();
        Assert.Equal(("A;B", 120.5, -5.25, "pop;rock"), (track.Artists, track.Tempo, track.Loudness, track.TrackGenres));
    }
}
