using Microsoft.EntityFrameworkCore;
using Recs.Core;
using Recs.Core.Persistence;

namespace Recs.Tests.TestSupport;

/// <summary>
/// The SQLite file a CLI run or the web app would use in <paramref name="dataDirectory"/>, with the real migrations:
/// lets a test prepare state (e.g. an active model) before running a verb against that data directory.
/// </summary>
public sealed class DataDirectoryDatabase(string dataDirectory) : IDbContextFactory<RecsDbContext>
{
    private readonly DbContextOptions<RecsDbContext> _options = new DbContextOptionsBuilder<RecsDbContext>()
        .UseSqlite($"Data Source={new RecsOptions { DataDirectory = dataDirectory }.DatabasePath};Pooling=False")
        .Options;

    public RecsDbContext CreateDbContext() => new(_options);

    public DataDirectoryDatabase Migrate()
    {
        using var db = CreateDbContext();
        db.Database.Migrate();
        return this;
    }
}
