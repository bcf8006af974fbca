using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Recs.Core.Catalog;

/// <summary>An artist as an import source knows it.</summary>
internal sealed record ArtistRecord(string Name, IReadOnlyList<string> Genres, string Source)
{
    public string NameKey { get; } = TextKeys.Normalize(Name);
    public string? SpotifyId { get; init; }
    public double? TableTempo { get; init; }
    public double? TableEnergy { get; init; }
    public double? TableDanceability { get; init; }
    public double? TableValence { get; init; }
    public double? TableLoudness { get; init; }
    public double? TablePopularity { get; init; }
    public int? TableTrackCount { get; init; }
}

/// <summary>
/// Upserts artists with a prepared statement (the same SQL on SQLite and PostgreSQL). Genres are only replaced by a source at least as trusted as the
/// one they came from (spotify &gt; export &gt; artist-table &gt; demo), and never by an empty list; an update only happens
/// when it changes something, so re-importing the same file changes nothing.
/// </summary>
internal sealed class ArtistWriter : IDisposable
{
    private readonly DbCommand _upsert;
    private readonly Dictionary<string, DbParameter> _p = [];
    private readonly object _updatedAt;

    public ArtistWriter(DbConnection connection, DbTransaction transaction, IModel model, DateTimeOffset now)
    {
        var entity = model.FindEntityType(typeof(Artist))!;
        var table = Quote(entity.GetTableName()!);
        string Col(string property) => Quote(entity.FindProperty(property)!.GetColumnName());
        _updatedAt = entity.FindProperty(nameof(Artist.UpdatedAt))!.GetValueConverter()?.ConvertToProvider(now) ?? now;

        string Rank(string source) =>
            $"(CASE {source} WHEN '{ArtistSources.Spotify}' THEN 3 WHEN '{ArtistSources.LibraryExport}' THEN 2 WHEN '{ArtistSources.ArtistTable}' THEN 1 ELSE 0 END)";
        // The existing row's columns are qualified: PostgreSQL finds a bare name ambiguous beside excluded.*.
        string Old(string property) => $"{table}.{Col(property)}";
        string New(string property) => $"excluded.{Col(property)}";
        var genres = Old(nameof(Artist.Genres));
        var source = Old(nameof(Artist.Source));
        var newGenres = New(nameof(Artist.Genres));
        var takeGenres = $"({newGenres} <> '' AND ({genres} = '' OR {Rank(source)} <= {Rank(New(nameof(Artist.Source)))}))";

        var updates = new List<(string Column, string Expression)>
        {
            (Col(nameof(Artist.Genres)), $"CASE WHEN {takeGenres} THEN {newGenres} ELSE {genres} END"),
            (Col(nameof(Artist.Source)), $"CASE WHEN {takeGenres} OR {genres} = '' AND {source} = '' THEN {New(nameof(Artist.Source))} ELSE {source} END"),
            (Col(nameof(Artist.Name)), $"CASE WHEN {Old(nameof(Artist.Name))} = '' THEN {New(nameof(Artist.Name))} ELSE {Old(nameof(Artist.Name))} END"),
            (Col(nameof(Artist.SpotifyId)), $"COALESCE({Old(nameof(Artist.SpotifyId))}, {New(nameof(Artist.SpotifyId))})"),
        };
        foreach (var p in new[]
                 {
                     nameof(Artist.TableTempo), nameof(Artist.TableEnergy), nameof(Artist.TableDanceability), nameof(Artist.TableValence),
                     nameof(Artist.TableLoudness), nameof(Artist.TablePopularity), nameof(Artist.TableTrackCount),
                 })
        {
            updates.Add((Col(p), $"COALESCE({New(p)}, {Old(p)})"));
        }

        var columns = new[]
        {
            nameof(Artist.NameKey), nameof(Artist.Name), nameof(Artist.SpotifyId), nameof(Artist.Genres), nameof(Artist.Source), nameof(Artist.UpdatedAt),
            nameof(Artist.TableTempo), nameof(Artist.TableEnergy), nameof(Artist.TableDanceability), nameof(Artist.TableValence),
            nameof(Artist.TableLoudness), nameof(Artist.TablePopularity), nameof(Artist.TableTrackCount),
        };
        _upsert = connection.CreateCommand();
        _upsert.Transaction = transaction;
        _upsert.CommandText =
            $"INSERT INTO {table} ({string.Join(", ", columns.Select(Col))}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))}) " +
            $"ON CONFLICT({Col(nameof(Artist.NameKey))}) DO UPDATE SET " +
            string.Join(", ", updates.Select(u => $"{u.Column} = {u.Expression}")) +
            $", {Col(nameof(Artist.UpdatedAt))} = excluded.{Col(nameof(Artist.UpdatedAt))} " +
            "WHERE " + string.Join(" OR ", updates.Select(u => $"{table}.{u.Column} IS DISTINCT FROM ({u.Expression})"));
        foreach (var c in columns)
        {
            _p[c] = CatalogTrackWriter.AddParameter(_upsert, c, entity.FindProperty(c)!);
        }

        _upsert.Prepare();
    }

    /// <summary>Inserts or updates an artist; true when the database changed. Artists without a usable name are ignored.</summary>
    public bool Upsert(ArtistRecord a)
    {
        if (a.NameKey.Length == 0)
        {
            return false;
        }

        Set(nameof(Artist.NameKey), a.NameKey);
        Set(nameof(Artist.Name), a.Name.Trim());
        Set(nameof(Artist.SpotifyId), a.SpotifyId);
        Set(nameof(Artist.Genres), string.Join(',', a.Genres));
        Set(nameof(Artist.Source), a.Source);
        Set(nameof(Artist.UpdatedAt), _updatedAt);
        Set(nameof(Artist.TableTempo), a.TableTempo);
        Set(nameof(Artist.TableEnergy), a.TableEnergy);
        Set(nameof(Artist.TableDanceability), a.TableDanceability);
        Set(nameof(Artist.TableValence), a.TableValence);
        Set(nameof(Artist.TableLoudness), a.TableLoudness);
        Set(nameof(Artist.TablePopularity), a.TablePopularity);
        Set(nameof(Artist.TableTrackCount), a.TableTrackCount);
        return _upsert.ExecuteNonQuery() > 0;
    }

    public void Dispose() => _upsert.Dispose();

    private void Set(string column, object? value) => _p[column].Value = value ?? DBNull.Value;

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
