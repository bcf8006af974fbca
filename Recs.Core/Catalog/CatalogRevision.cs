using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Recs.Core.FeatureServices;
using Recs.Core.Persistence;

namespace Recs.Core.Catalog;

/// <summary>
/// The catalog's revision: a value in <see cref="AdminSetting"/> (<see cref="AdminSettingKeys.CatalogRevision"/>) that
/// every write adding or changing catalog tracks replaces, in the same transaction (an import, an upload's or the
/// features service's contribution), so that what was computed from the catalog — a listener's cached clustering, for
/// which tracks added since training and features from the service count as real — can tell it is out of date, on
/// every instance sharing the database and after the CLI's imports too. Enrichment and the artist-genres import are not
/// revisions: they change what the next training reads, and a new model changes the clustering's key anyway.
/// </summary>
public sealed class CatalogRevision(IDbContextFactory<RecsDbContext> dbFactory)
{
    // An upsert both providers speak (SQLite ≥ 3.24, PostgreSQL ≥ 9.5): a revision written by two instances at once
    // must not fail the write it belongs to.
    private const string UpsertSql =
        """
        INSERT INTO "AdminSettings" ("Key", "Value", "UpdatedAt") VALUES (@key, @value, @updated)
        ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value", "UpdatedAt" = excluded."UpdatedAt"
        """;

    private static readonly DateTimeOffsetToBinaryConverter Binary = new();

    /// <summary>The current revision ("" while the catalog was never written through a revision-keeping write).</summary>
    public async Task<string> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AdminSettings.AsNoTracking()
            .Where(s => s.Key == AdminSettingKeys.CatalogRevision)
            .Select(s => s.Value)
            .FirstOrDefaultAsync(cancellationToken) ?? "";
    }

    /// <summary>Replaces the revision inside <paramref name="transaction"/> (the importers' own connection and transaction; null: none).</summary>
    public static void Bump(DbConnection connection, DbTransaction? transaction, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = UpsertSql;
        Add(command, "@key", AdminSettingKeys.CatalogRevision);
        Add(command, "@value", Guid.NewGuid().ToString("N"));
        Add(command, "@updated", (long)Binary.ConvertToProvider(now)!);
        command.ExecuteNonQuery();
    }

    /// <summary>Replaces the revision through <paramref name="db"/> (in its current transaction, when it has one).</summary>
    public static async Task BumpAsync(RecsDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            Bump(connection, db.Database.CurrentTransaction?.GetDbTransaction(), now);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
