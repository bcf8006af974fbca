using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Catalog;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Postgres;

namespace Recs.Tests.Core.Persistence;

/// <summary>
/// Recs asks the database about thousands of ids at once (a library's tracks against the catalog, a feature-service
/// batch against the misses): such a query must carry the ids as one array-like parameter, not EF Core 10's default of
/// one SQL parameter per id, whose SQL text and binding cost grew with the list (BENCHMARKS, features service).
/// </summary>
public sealed partial class CollectionParameterTests
{
    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AnIdListReachesTheDatabaseAsOneParameterAndFindsEveryRow(string provider)
    {
        using var database = new TestDatabase(provider);
        var ids = Enumerable.Range(0, 3_000).Select(i => $"id{i:D5}").ToList();
        await using (var db = database.CreateDbContext())
        {
            db.CatalogTracks.AddRange(ids.Where((_, i) => i % 3 == 0).Select(id => new CatalogTrack { Id = id, Tempo = 120, Energy = 0.5, Danceability = 0.5, Valence = 0.5, Loudness = -7, Source = CatalogSources.Kaggle }));
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateDbContext();
        var query = read.CatalogTracks.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => t.Id);
        var sql = query.ToQueryString();

        Assert.Single(ParameterDeclaration().Matches(sql).Select(m => m.Value).Distinct());
        Assert.Contains(provider == "postgres" ? "ANY" : "json_each", sql, StringComparison.Ordinal);
        Assert.Equal(1_000, (await query.ToListAsync()).Count);
    }

    // Every parameter name in the SQL and its declaration ("-- @ids={ … }" on Npgsql, ".param set @ids '[…]'" on SQLite);
    // EF Core's default would give @ids1 … @ids3000.
    [GeneratedRegex(@"@\w+")]
    private static partial Regex ParameterDeclaration();
}
