using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace Recs.Core.Catalog;

/// <summary>
/// Writes catalog rows with prepared upserts (<c>INSERT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM …</c>, the
/// same statement on SQLite and PostgreSQL) inside the caller's transaction: ~100k rows a second on SQLite, where EF's
/// change tracker manages a few thousand (ADR-010, ADR-153). Table and column names come from the EF model, so the SQL
/// follows the entity configuration. An update only happens when it changes something, so importing the same file twice
/// leaves every row (and its <see cref="CatalogTrack.ImportedAt"/>) as it was. Genre labels merge through a SQLite
/// function registered on the connection, or an equivalent SQL expression on PostgreSQL. On PostgreSQL each statement is a
/// round trip to another process, so they are sent <see cref="PostgresBatchSize"/> at a time in one batch (executed in
/// order, in the same transaction); whether a statement changed a row is reported to its callback when its batch has
/// run: at once on SQLite, at the latest at <see cref="Flush"/>.
/// </summary>
internal sealed class CatalogTrackWriter : IDisposable
{
    /// <summary>SQLite function merging two ";"-joined label sets into one sorted set.</summary>
    public const string MergeLabelsFunction = "recs_merge_labels";

    private readonly DbCommand _upsert;
    private readonly DbCommand _mergeGenres;
    private readonly Dictionary<string, DbParameter> _p = [];
    private readonly DbParameter _mergeId;
    private readonly DbParameter _mergeLabels;
    private readonly object _importedAt;
    private readonly NpgsqlConnection? _postgres;
    private readonly NpgsqlTransaction? _postgresTransaction;
    private readonly List<Action<bool>> _pending = [];
    private NpgsqlBatch? _batch;

    /// <summary>Statements per round trip on PostgreSQL.</summary>
    public const int PostgresBatchSize = 250;

    public CatalogTrackWriter(DbConnection connection, DbTransaction transaction, IModel model, DateTimeOffset now)
    {
        if (connection is SqliteConnection sqlite)
        {
            sqlite.CreateFunction<string?, string?, string?>(MergeLabelsFunction, MergeLabels, isDeterministic: true);
        }

        var postgres = connection is not SqliteConnection;
        _postgres = connection as NpgsqlConnection;
        _postgresTransaction = transaction as NpgsqlTransaction;
        string Merge(string existing, string added) => postgres ? PostgresMergeLabels(existing, added) : $"{MergeLabelsFunction}({existing}, {added})";
        var entity = model.FindEntityType(typeof(CatalogTrack))!;
        var table = Quote(entity.GetTableName()!);
        string Col(string property) => Quote(entity.FindProperty(property)!.GetColumnName());
        var importedAtProperty = entity.FindProperty(nameof(CatalogTrack.ImportedAt))!;
        _importedAt = importedAtProperty.GetValueConverter()?.ConvertToProvider(now) ?? now;

        // How an existing row takes the new values: names only when the new ones are not empty, nullable facts only
        // when the new file knows them, genre labels merged; Source and EnrichedAt are never touched by an import.
        var policies = new (string Property, string Update)[]
        {
            (nameof(CatalogTrack.Name), "keep-if-empty"),
            (nameof(CatalogTrack.Artists), "keep-if-empty"),
            (nameof(CatalogTrack.AlbumName), "keep-if-empty"),
            (nameof(CatalogTrack.PrimaryArtistKey), "keep-if-empty"),
            (nameof(CatalogTrack.TitleKey), "keep-if-empty"),
            (nameof(CatalogTrack.ArtistIds), "coalesce"),
            (nameof(CatalogTrack.Popularity), "coalesce"),
            (nameof(CatalogTrack.Explicit), "coalesce"),
            (nameof(CatalogTrack.ReleaseYear), "coalesce"),
            (nameof(CatalogTrack.ReleaseDate), "coalesce"),
            (nameof(CatalogTrack.ArtistGenres), "coalesce"),
            (nameof(CatalogTrack.DurationMs), "replace"),
            (nameof(CatalogTrack.Danceability), "replace"),
            (nameof(CatalogTrack.Energy), "replace"),
            (nameof(CatalogTrack.Key), "replace"),
            (nameof(CatalogTrack.Loudness), "replace"),
            (nameof(CatalogTrack.Mode), "replace"),
            (nameof(CatalogTrack.Speechiness), "replace"),
            (nameof(CatalogTrack.Acousticness), "replace"),
            (nameof(CatalogTrack.Instrumentalness), "replace"),
            (nameof(CatalogTrack.Liveness), "replace"),
            (nameof(CatalogTrack.Valence), "replace"),
            (nameof(CatalogTrack.Tempo), "replace"),
            (nameof(CatalogTrack.TimeSignature), "replace"),
            (nameof(CatalogTrack.TrackGenres), "merge"),
        };

        var insertOnly = new[] { nameof(CatalogTrack.Id), nameof(CatalogTrack.Source), nameof(CatalogTrack.ImportedAt) };
        var allColumns = insertOnly.Concat(policies.Select(p => p.Property)).ToList();
        var updates = policies.Select(p =>
        {
            var c = Col(p.Property);
            var existing = $"{table}.{c}"; // qualified: PostgreSQL finds a bare name ambiguous beside excluded.*
            var expression = p.Update switch
            {
                "keep-if-empty" => $"CASE WHEN excluded.{c} = '' THEN {existing} ELSE excluded.{c} END",
                "coalesce" => $"COALESCE(excluded.{c}, {existing})",
                "merge" => Merge(existing, $"excluded.{c}"),
                _ => $"excluded.{c}",
            };
            return (Column: c, Expression: expression);
        }).ToList();

        _upsert = connection.CreateCommand();
        _upsert.Transaction = transaction;
        _upsert.CommandText =
            $"INSERT INTO {table} ({string.Join(", ", allColumns.Select(Col))}) VALUES ({string.Join(", ", allColumns.Select(c => "@" + c))}) " +
            $"ON CONFLICT({Col(nameof(CatalogTrack.Id))}) DO UPDATE SET " +
            string.Join(", ", updates.Select(u => $"{u.Column} = {u.Expression}")) +
            $", {Col(nameof(CatalogTrack.ImportedAt))} = excluded.{Col(nameof(CatalogTrack.ImportedAt))} " +
            "WHERE " + string.Join(" OR ", updates.Select(u => $"{table}.{u.Column} IS DISTINCT FROM ({u.Expression})"));
        foreach (var column in allColumns)
        {
            _p[column] = AddParameter(_upsert, column, entity.FindProperty(column)!);
        }

        _upsert.Prepare();

        var genres = Col(nameof(CatalogTrack.TrackGenres));
        _mergeGenres = connection.CreateCommand();
        _mergeGenres.Transaction = transaction;
        _mergeGenres.CommandText =
            $"UPDATE {table} SET {genres} = {Merge(genres, "@labels")}, {Col(nameof(CatalogTrack.ImportedAt))} = @importedAt " +
            $"WHERE {Col(nameof(CatalogTrack.Id))} = @id AND {genres} IS DISTINCT FROM ({Merge(genres, "@labels")})";
        _mergeId = AddParameter(_mergeGenres, "id", entity.FindProperty(nameof(CatalogTrack.Id))!);
        _mergeLabels = AddParameter(_mergeGenres, "labels", entity.FindProperty(nameof(CatalogTrack.TrackGenres))!);
        AddParameter(_mergeGenres, "importedAt", importedAtProperty).Value = _importedAt;
        _mergeGenres.Prepare();
    }

    /// <summary>
    /// <see cref="MergeLabels"/> as a PostgreSQL expression: the union of two ";"-joined label sets, sorted by code point
    /// (<c>COLLATE "C"</c>, as <see cref="StringComparer.Ordinal"/> sorts these labels), joined with ";".
    /// </summary>
    internal static string PostgresMergeLabels(string existing, string added) =>
        $"CASE WHEN {added} IS NULL OR {added} = '' OR {existing} = {added} THEN COALESCE({existing}, {added}) " +
        $"WHEN {existing} IS NULL OR {existing} = '' THEN {added} " +
        $"ELSE COALESCE((SELECT string_agg(l, ';' ORDER BY l COLLATE \"C\") FROM (SELECT DISTINCT unnest(string_to_array({existing} || ';' || {added}, ';')) AS l) AS u WHERE l <> ''), '') END";

    /// <summary>A parameter typed from the EF model (PostgreSQL needs the type of a null to prepare the statement).</summary>
    internal static DbParameter AddParameter(DbCommand command, string name, IProperty property)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        var mapping = property.GetTypeMapping();
        var clr = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
        clr = Nullable.GetUnderlyingType(clr) ?? clr;
        parameter.DbType = clr == typeof(string) ? DbType.String
            : clr == typeof(double) ? DbType.Double
            : clr == typeof(float) ? DbType.Single
            : clr == typeof(int) ? DbType.Int32
            : clr == typeof(long) ? DbType.Int64
            : clr == typeof(bool) ? DbType.Boolean
            : throw new NotSupportedException($"no parameter type for {property.Name} ({clr.Name})");
        parameter.Value = DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>The ids already in the catalog (to tell new tracks from updated ones).</summary>
    public static HashSet<string> LoadExistingIds(DbConnection connection, DbTransaction transaction, IModel model)
    {
        var entity = model.FindEntityType(typeof(CatalogTrack))!;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Quote(entity.FindProperty(nameof(CatalogTrack.Id))!.GetColumnName())} FROM {Quote(entity.GetTableName()!)}";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Inserts or updates a track; <paramref name="changed"/> is told whether the database changed.</summary>
    public void Upsert(CatalogRow row, string source, Action<bool> changed)
    {
        var f = row.Features;
        Set(nameof(CatalogTrack.Id), row.Id);
        Set(nameof(CatalogTrack.Source), source);
        Set(nameof(CatalogTrack.ImportedAt), _importedAt);
        Set(nameof(CatalogTrack.Name), row.Name);
        Set(nameof(CatalogTrack.Artists), string.Join(';', row.Artists));
        Set(nameof(CatalogTrack.AlbumName), row.AlbumName);
        Set(nameof(CatalogTrack.PrimaryArtistKey), TextKeys.Normalize(row.Artists.Count > 0 ? row.Artists[0] : ""));
        Set(nameof(CatalogTrack.TitleKey), TextKeys.Title(row.Name));
        Set(nameof(CatalogTrack.ArtistIds), row.ArtistIds.Count > 0 ? string.Join(';', row.ArtistIds) : null);
        Set(nameof(CatalogTrack.Popularity), row.Popularity);
        Set(nameof(CatalogTrack.Explicit), row.Explicit);
        Set(nameof(CatalogTrack.ReleaseYear), row.ReleaseYear);
        Set(nameof(CatalogTrack.ReleaseDate), row.ReleaseDate);
        Set(nameof(CatalogTrack.ArtistGenres), row.ArtistGenres.Count > 0 ? string.Join(',', row.ArtistGenres) : null);
        Set(nameof(CatalogTrack.DurationMs), row.DurationMs);
        Set(nameof(CatalogTrack.Danceability), f.Danceability);
        Set(nameof(CatalogTrack.Energy), f.Energy);
        Set(nameof(CatalogTrack.Key), f.Key);
        Set(nameof(CatalogTrack.Loudness), f.Loudness);
        Set(nameof(CatalogTrack.Mode), f.Mode);
        Set(nameof(CatalogTrack.Speechiness), f.Speechiness);
        Set(nameof(CatalogTrack.Acousticness), f.Acousticness);
        Set(nameof(CatalogTrack.Instrumentalness), f.Instrumentalness);
        Set(nameof(CatalogTrack.Liveness), f.Liveness);
        Set(nameof(CatalogTrack.Valence), f.Valence);
        Set(nameof(CatalogTrack.Tempo), f.Tempo);
        Set(nameof(CatalogTrack.TimeSignature), f.TimeSignature);
        Set(nameof(CatalogTrack.TrackGenres), JoinLabels(row.TrackGenres));
        Execute(_upsert, changed);
    }

    /// <summary>Adds genre labels of a duplicate row to its track; <paramref name="changed"/> is told whether the database changed.</summary>
    public void MergeGenres(string id, IReadOnlyList<string> labels, Action<bool> changed)
    {
        if (labels.Count == 0)
        {
            changed(false);
            return;
        }

        _mergeId.Value = id;
        _mergeLabels.Value = JoinLabels(labels);
        Execute(_mergeGenres, changed);
    }

    /// <summary>Sends the statements still waiting for their batch (PostgreSQL) and reports their results.</summary>
    public void Flush()
    {
        if (_batch is not { } batch)
        {
            return;
        }

        _batch = null;
        using (batch)
        {
            // Prepared like the single commands: the server parses each distinct statement once per connection, not per row.
            batch.Prepare();
            batch.ExecuteNonQuery();
            for (var i = 0; i < _pending.Count; i++)
            {
                _pending[i](batch.BatchCommands[i].RecordsAffected > 0);
            }
        }

        _pending.Clear();
    }

    private void Execute(DbCommand command, Action<bool> changed)
    {
        if (_postgres is null)
        {
            changed(command.ExecuteNonQuery() > 0);
            return;
        }

        // The command's parameters hold this row's values: the batch takes copies.
        var statement = new NpgsqlBatchCommand(command.CommandText);
        foreach (NpgsqlParameter parameter in command.Parameters)
        {
            statement.Parameters.Add(parameter.Clone());
        }

        _batch ??= new NpgsqlBatch(_postgres, _postgresTransaction) { Timeout = command.CommandTimeout };
        _batch.BatchCommands.Add(statement);
        _pending.Add(changed);
        if (_pending.Count >= PostgresBatchSize)
        {
            Flush();
        }
    }

    public void Dispose()
    {
        _batch?.Dispose(); // statements never flushed belong to a transaction that is rolled back
        _upsert.Dispose();
        _mergeGenres.Dispose();
    }

    /// <summary>Union of two ";"-joined label sets, sorted ordinally, joined with ";".</summary>
    public static string? MergeLabels(string? existing, string? added)
    {
        if (string.IsNullOrEmpty(added) || existing == added)
        {
            return existing ?? added;
        }

        if (string.IsNullOrEmpty(existing))
        {
            return added;
        }

        var set = new SortedSet<string>(existing.Split(';', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        set.UnionWith(added.Split(';', StringSplitOptions.RemoveEmptyEntries));
        return string.Join(';', set);
    }

    private static string JoinLabels(IReadOnlyList<string> labels) =>
        labels.Count switch
        {
            0 => "",
            1 => labels[0],
            _ => string.Join(';', labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
        };

    private void Set(string column, object? value) => _p[column].Value = value ?? DBNull.Value;

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
