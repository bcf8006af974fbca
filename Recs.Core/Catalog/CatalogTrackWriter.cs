using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace Recs.Core.Catalog;

/// <summary>
/// Writes catalog rows inside the caller's transaction with <c>INSERT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM …</c>
/// (ADR-010, ADR-150). Table and column names come from the EF model, so the SQL follows the entity configuration. An
/// update only happens when it changes something, so importing the same file twice leaves every row (and its
/// <see cref="CatalogTrack.ImportedAt"/>) as it was. Each call's <c>changed</c> callback is told whether the database
/// changed the track.
/// <para>
/// On SQLite each row is a prepared statement run at once (~100k rows a second, a function call in the process; genre
/// labels merge through a SQLite function registered on the connection). On PostgreSQL a statement per row is a round
/// trip and an executor start in another process, several times slower than SQLite even when batched (BENCHMARKS
/// "PostgreSQL beside SQLite"), so rows are gathered <see cref="PostgresChunkSize"/> tracks at a time, sent with one
/// binary <c>COPY</c> into a temporary table and written by two set-based statements: the upsert of each track's first
/// row, and the genre-label merge of tracks whose first row came in an earlier chunk. Within a chunk the later rows of a
/// track fold their labels into its entry (the union <see cref="MergeLabels"/> forms, which the upsert then merges into
/// the stored labels): the first callback of that track in the chunk hears whether the track changed, the later ones
/// hear false, so counting "changed at least once" per track gives the same figures as on SQLite. Results arrive when
/// the chunk is written: at the latest at <see cref="Flush"/>.
/// </para>
/// </summary>
internal sealed class CatalogTrackWriter : IDisposable
{
    /// <summary>SQLite function merging two ";"-joined label sets into one sorted set.</summary>
    public const string MergeLabelsFunction = "recs_merge_labels";

    /// <summary>Distinct tracks per <c>COPY</c> on PostgreSQL.</summary>
    public const int PostgresChunkSize = 10_000;

    private readonly List<Column> _columns;
    private readonly object _importedAt;

    // SQLite: prepared statements run one row at a time.
    private readonly DbCommand? _upsert;
    private readonly DbCommand? _mergeGenres;
    private readonly DbParameter? _mergeId;
    private readonly DbParameter? _mergeLabels;

    // PostgreSQL: a chunk of tracks staged in memory, then COPY + set-based statements.
    private readonly PostgresChunk? _chunk;

    public CatalogTrackWriter(DbConnection connection, DbTransaction transaction, IModel model, DateTimeOffset now)
    {
        var postgres = connection is NpgsqlConnection;
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
        _columns = insertOnly.Concat(policies.Select(p => p.Property)).Select(p => Column.For(p, entity.FindProperty(p)!, _importedAt)).ToList();
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

        var id = Col(nameof(CatalogTrack.Id));
        var importedAt = Col(nameof(CatalogTrack.ImportedAt));
        var genres = Col(nameof(CatalogTrack.TrackGenres));
        var columnList = string.Join(", ", _columns.Select(c => Quote(c.Name)));
        var onConflict =
            $"ON CONFLICT({id}) DO UPDATE SET " +
            string.Join(", ", updates.Select(u => $"{u.Column} = {u.Expression}")) +
            $", {importedAt} = excluded.{importedAt} " +
            "WHERE " + string.Join(" OR ", updates.Select(u => $"{table}.{u.Column} IS DISTINCT FROM ({u.Expression})"));

        if (connection is NpgsqlConnection npgsql)
        {
            _chunk = new PostgresChunk(npgsql, (NpgsqlTransaction)transaction, _columns, table, id, genres, importedAt, onConflict, Merge);
            return;
        }

        if (connection is SqliteConnection sqlite)
        {
            sqlite.CreateFunction<string?, string?, string?>(MergeLabelsFunction, MergeLabels, isDeterministic: true);
        }

        _upsert = connection.CreateCommand();
        _upsert.Transaction = transaction;
        _upsert.CommandText = $"INSERT INTO {table} ({columnList}) VALUES ({string.Join(", ", _columns.Select(c => "@" + c.Property))}) " + onConflict;
        foreach (var column in _columns)
        {
            column.Parameter = AddParameter(_upsert, column.Property, column.Metadata);
        }

        _upsert.Prepare();

        _mergeGenres = connection.CreateCommand();
        _mergeGenres.Transaction = transaction;
        _mergeGenres.CommandText =
            $"UPDATE {table} SET {genres} = {Merge(genres, "@labels")}, {importedAt} = @importedAt " +
            $"WHERE {id} = @id AND {genres} IS DISTINCT FROM ({Merge(genres, "@labels")})";
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
        var clr = ProviderType(property);
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
        var track = ToTrack(row, source);
        if (_chunk is not null)
        {
            _chunk.Add(track, changed);
            return;
        }

        foreach (var column in _columns)
        {
            column.Parameter!.Value = column.Get(track) ?? DBNull.Value;
        }

        changed(_upsert!.ExecuteNonQuery() > 0);
    }

    /// <summary>Adds genre labels of a duplicate row to its track; <paramref name="changed"/> is told whether the database changed.</summary>
    public void MergeGenres(string id, IReadOnlyList<string> labels, Action<bool> changed)
    {
        if (labels.Count == 0)
        {
            changed(false);
            return;
        }

        if (_chunk is not null)
        {
            _chunk.Merge(id, JoinLabels(labels), changed);
            return;
        }

        _mergeId!.Value = id;
        _mergeLabels!.Value = JoinLabels(labels);
        changed(_mergeGenres!.ExecuteNonQuery() > 0);
    }

    /// <summary>Writes the tracks still waiting for their chunk (PostgreSQL) and reports their results.</summary>
    public void Flush() => _chunk?.Flush();

    public void Dispose()
    {
        // PostgreSQL: rows never flushed belong to a transaction that is rolled back; the staging table goes with it.
        _upsert?.Dispose();
        _mergeGenres?.Dispose();
    }

    private static CatalogTrack ToTrack(CatalogRow row, string source)
    {
        var f = row.Features;
        return new CatalogTrack
        {
            Id = row.Id,
            Source = source,
            Name = row.Name,
            Artists = string.Join(';', row.Artists),
            AlbumName = row.AlbumName,
            PrimaryArtistKey = TextKeys.Normalize(row.Artists.Count > 0 ? row.Artists[0] : ""),
            TitleKey = TextKeys.Title(row.Name),
            ArtistIds = row.ArtistIds.Count > 0 ? string.Join(';', row.ArtistIds) : null,
            Popularity = row.Popularity,
            Explicit = row.Explicit,
            ReleaseYear = row.ReleaseYear,
            ReleaseDate = row.ReleaseDate,
            ArtistGenres = row.ArtistGenres.Count > 0 ? string.Join(',', row.ArtistGenres) : null,
            DurationMs = row.DurationMs,
            Danceability = f.Danceability,
            Energy = f.Energy,
            Key = f.Key,
            Loudness = f.Loudness,
            Mode = f.Mode,
            Speechiness = f.Speechiness,
            Acousticness = f.Acousticness,
            Instrumentalness = f.Instrumentalness,
            Liveness = f.Liveness,
            Valence = f.Valence,
            Tempo = f.Tempo,
            TimeSignature = f.TimeSignature,
            TrackGenres = JoinLabels(row.TrackGenres),
        };
    }

    /// <summary>A written column: its property, and its value for a track in the provider's type.</summary>
    private abstract class Column
    {
        protected Column(string property, IProperty metadata, Type providerType)
        {
            if (ProviderType(metadata) != providerType)
            {
                throw new NotSupportedException($"the import writes {property} as {providerType.Name}, the model stores {ProviderType(metadata).Name}");
            }

            Property = property;
            Metadata = metadata;
            Name = metadata.GetColumnName();
            CopyType = providerType == typeof(string) ? NpgsqlDbType.Text
                : providerType == typeof(double) ? NpgsqlDbType.Double
                : providerType == typeof(int) ? NpgsqlDbType.Integer
                : providerType == typeof(long) ? NpgsqlDbType.Bigint
                : providerType == typeof(bool) ? NpgsqlDbType.Boolean
                : throw new NotSupportedException($"no COPY type for {property} ({providerType.Name})");
        }

        public string Property { get; }
        public IProperty Metadata { get; }
        public string Name { get; }
        public NpgsqlDbType CopyType { get; }
        public DbParameter? Parameter { get; set; }

        public abstract object? Get(CatalogTrack track);

        /// <summary>Writes the value with its own type: written as object, Npgsql would resolve its converter every time.</summary>
        public abstract void Copy(NpgsqlBinaryImporter copy, CatalogTrack track);

        public static Column For(string property, IProperty metadata, object importedAt)
        {
            Column Text(Func<CatalogTrack, string?> get) => new TextColumn(property, metadata, get);
            Column Value<T>(Func<CatalogTrack, T?> get) where T : struct => new ValueColumn<T>(property, metadata, get);
            return property switch
            {
                nameof(CatalogTrack.Id) => Text(t => t.Id),
                nameof(CatalogTrack.Source) => Text(t => t.Source),
                nameof(CatalogTrack.ImportedAt) => Value<long>(_ => (long)importedAt),
                nameof(CatalogTrack.Name) => Text(t => t.Name),
                nameof(CatalogTrack.Artists) => Text(t => t.Artists),
                nameof(CatalogTrack.AlbumName) => Text(t => t.AlbumName),
                nameof(CatalogTrack.PrimaryArtistKey) => Text(t => t.PrimaryArtistKey),
                nameof(CatalogTrack.TitleKey) => Text(t => t.TitleKey),
                nameof(CatalogTrack.ArtistIds) => Text(t => t.ArtistIds),
                nameof(CatalogTrack.Popularity) => Value(t => t.Popularity),
                nameof(CatalogTrack.Explicit) => Value(t => t.Explicit),
                nameof(CatalogTrack.ReleaseYear) => Value(t => t.ReleaseYear),
                nameof(CatalogTrack.ReleaseDate) => Text(t => t.ReleaseDate),
                nameof(CatalogTrack.ArtistGenres) => Text(t => t.ArtistGenres),
                nameof(CatalogTrack.DurationMs) => Value<int>(t => t.DurationMs),
                nameof(CatalogTrack.Danceability) => Value<double>(t => t.Danceability),
                nameof(CatalogTrack.Energy) => Value<double>(t => t.Energy),
                nameof(CatalogTrack.Key) => Value<int>(t => t.Key),
                nameof(CatalogTrack.Loudness) => Value<double>(t => t.Loudness),
                nameof(CatalogTrack.Mode) => Value<int>(t => t.Mode),
                nameof(CatalogTrack.Speechiness) => Value<double>(t => t.Speechiness),
                nameof(CatalogTrack.Acousticness) => Value<double>(t => t.Acousticness),
                nameof(CatalogTrack.Instrumentalness) => Value<double>(t => t.Instrumentalness),
                nameof(CatalogTrack.Liveness) => Value<double>(t => t.Liveness),
                nameof(CatalogTrack.Valence) => Value<double>(t => t.Valence),
                nameof(CatalogTrack.Tempo) => Value<double>(t => t.Tempo),
                nameof(CatalogTrack.TimeSignature) => Value<int>(t => t.TimeSignature),
                nameof(CatalogTrack.TrackGenres) => Text(t => t.TrackGenres),
                _ => throw new NotSupportedException($"the import does not write {property}"),
            };
        }
    }

    private sealed class TextColumn(string property, IProperty metadata, Func<CatalogTrack, string?> get) : Column(property, metadata, typeof(string))
    {
        public override object? Get(CatalogTrack track) => get(track);

        public override void Copy(NpgsqlBinaryImporter copy, CatalogTrack track)
        {
            if (get(track) is { } value)
            {
                copy.Write(value, CopyType);
            }
            else
            {
                copy.WriteNull();
            }
        }
    }

    private sealed class ValueColumn<T>(string property, IProperty metadata, Func<CatalogTrack, T?> get) : Column(property, metadata, typeof(T))
        where T : struct
    {
        public override object? Get(CatalogTrack track) => get(track);

        public override void Copy(NpgsqlBinaryImporter copy, CatalogTrack track)
        {
            if (get(track) is { } value)
            {
                copy.Write(value, CopyType);
            }
            else
            {
                copy.WriteNull();
            }
        }
    }

    /// <summary>
    /// A chunk of tracks on their way to PostgreSQL: each track once (its first row's values with the labels of its
    /// later rows folded in, or only labels when its first row was in an earlier chunk), written by a binary COPY into a
    /// temporary table (dropped at commit or rollback) and two set-based statements whose <c>RETURNING</c> lists the
    /// tracks they changed (an <c>ON CONFLICT … DO UPDATE … WHERE</c> that finds nothing different returns no row).
    /// </summary>
    private sealed class PostgresChunk
    {
        private const string Stage = "recs_catalog_import";
        private const string FirstRow = "first_row";

        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _transaction;
        private readonly List<Column> _columns;
        private readonly Dictionary<string, Staged> _staged = new(StringComparer.Ordinal);
        private readonly string _create;
        private readonly string _copy;
        private readonly string _upsert;
        private readonly string _merge;
        private bool _created;

        public PostgresChunk(
            NpgsqlConnection connection, NpgsqlTransaction transaction, List<Column> columns,
            string table, string id, string genres, string importedAt, string onConflict, Func<string, string, string> merge)
        {
            _connection = connection;
            _transaction = transaction;
            _columns = columns;
            var names = string.Join(", ", columns.Select(c => Quote(c.Name)));
            _create = $"CREATE TEMPORARY TABLE {Stage} ({FirstRow} boolean NOT NULL, " +
                      string.Join(", ", columns.Select(c => $"{Quote(c.Name)} {c.Metadata.GetColumnType()}")) + ") ON COMMIT DROP";
            _copy = $"COPY {Stage} ({FirstRow}, {names}) FROM STDIN (FORMAT BINARY)";
            _upsert = $"INSERT INTO {table} ({names}) SELECT {names} FROM {Stage} WHERE {FirstRow} {onConflict} RETURNING {table}.{id}";
            var merged = merge($"{table}.{genres}", $"s.{genres}");
            _merge = $"UPDATE {table} SET {genres} = {merged}, {importedAt} = s.{importedAt} FROM {Stage} AS s " +
                     $"WHERE NOT s.{FirstRow} AND {table}.{id} = s.{id} AND {table}.{genres} IS DISTINCT FROM ({merged}) RETURNING {table}.{id}";
        }

        public void Add(CatalogTrack track, Action<bool> changed)
        {
            if (_staged.ContainsKey(track.Id))
            {
                Flush(); // a second first row of one track (not what the importer sends): write the earlier one first
            }

            Put(track.Id, new Staged(track, FirstRowOfTrack: true, changed));
        }

        public void Merge(string id, string labels, Action<bool> changed)
        {
            if (_staged.TryGetValue(id, out var staged))
            {
                // The union is what merging each row's labels in turn leaves; the track's entry reports the change.
                staged.Track.TrackGenres = MergeLabels(staged.Track.TrackGenres, labels) ?? "";
                changed(false);
                return;
            }

            Put(id, new Staged(new CatalogTrack { Id = id, TrackGenres = labels }, FirstRowOfTrack: false, changed));
        }

        public void Flush()
        {
            if (_staged.Count == 0)
            {
                return;
            }

            if (!_created)
            {
                using var create = new NpgsqlCommand(_create, _connection, _transaction);
                create.ExecuteNonQuery();
                _created = true;
            }

            using (var copy = _connection.BeginBinaryImport(_copy))
            {
                foreach (var staged in _staged.Values)
                {
                    copy.StartRow();
                    copy.Write(staged.FirstRowOfTrack, NpgsqlDbType.Boolean);
                    foreach (var column in _columns)
                    {
                        // A labels-only entry carries its id, labels and time; the merge reads nothing else.
                        if (staged.FirstRowOfTrack || column.Property is nameof(CatalogTrack.Id) or nameof(CatalogTrack.TrackGenres) or nameof(CatalogTrack.ImportedAt))
                        {
                            column.Copy(copy, staged.Track);
                        }
                        else
                        {
                            copy.WriteNull();
                        }
                    }
                }

                copy.Complete();
            }

            var changed = new HashSet<string>(StringComparer.Ordinal);
            using (var batch = new NpgsqlBatch(_connection, _transaction))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(_upsert));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(_merge));
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"TRUNCATE {Stage}"));
                using var reader = batch.ExecuteReader();
                do
                {
                    while (reader.Read())
                    {
                        changed.Add(reader.GetString(0));
                    }
                }
                while (reader.NextResult());
            }

            foreach (var (id, staged) in _staged)
            {
                staged.Changed(changed.Contains(id));
            }

            _staged.Clear();
        }

        private void Put(string id, Staged staged)
        {
            _staged.Add(id, staged);
            if (_staged.Count >= PostgresChunkSize)
            {
                Flush();
            }
        }

        private sealed record Staged(CatalogTrack Track, bool FirstRowOfTrack, Action<bool> Changed);
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

    private static Type ProviderType(IProperty property)
    {
        var mapping = property.GetTypeMapping();
        var clr = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
        return Nullable.GetUnderlyingType(clr) ?? clr;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
