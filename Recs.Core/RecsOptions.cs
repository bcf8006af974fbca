namespace Recs.Core;

/// <summary>Options of the <c>Recs</c> configuration section.</summary>
public sealed class RecsOptions
{
    public const string SectionName = "Recs";

    /// <summary>
    /// Where the SQLite database and model files live (<c>--data-dir</c> on the command line).
    /// Relative paths are resolved against the current directory. Default: <c>data</c>.
    /// </summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Spotify account ids that may use the admin area.</summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>Generate the synthetic demo catalog and models when the catalog is empty (docs/contracts.md §Demo).</summary>
    public bool SeedDemo { get; set; } = true;

    /// <summary>The database (<c>Recs:Database</c>): SQLite in the data directory, or a shared PostgreSQL.</summary>
    public RecsDatabaseOptions Database { get; set; } = new();

    /// <summary>Model serving (<c>Recs:Models</c>).</summary>
    public RecsModelsOptions Models { get; set; } = new();

    /// <summary>Absolute data directory.</summary>
    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);

    /// <summary>Directory holding model versions.</summary>
    public string ModelsDirectory => Path.Combine(ResolvedDataDirectory, "models");

    /// <summary>Path of the SQLite database file.</summary>
    public string DatabasePath => Path.Combine(ResolvedDataDirectory, "recs.db");
}

/// <summary>
/// Options of <c>Recs:Database</c>. <see cref="Provider"/> is <c>sqlite</c> (default: <c>recs.db</c> in the data
/// directory, one instance) or <c>postgres</c> (the connection string <c>ConnectionStrings:Recs</c>; several instances
/// may share it, ADR-150).
/// </summary>
public sealed class RecsDatabaseOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> or <c>postgres</c> (case-insensitive; <c>postgresql</c> and <c>npgsql</c> also mean PostgreSQL).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>True when <see cref="Provider"/> names PostgreSQL.</summary>
    public bool IsPostgres => NormalizedProvider == Postgres;

    /// <summary><see cref="Sqlite"/>, <see cref="Postgres"/>, or the unknown value as given (lower case, trimmed).</summary>
    public string NormalizedProvider => (Provider ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "sqlite" => Sqlite,
        "postgres" or "postgresql" or "npgsql" or "pg" => Postgres,
        var other => other,
    };
}

/// <summary>Options of <c>Recs:Models</c>.</summary>
public sealed class RecsModelsOptions
{
    /// <summary>
    /// How often a web instance reads which version is active in the database, so that an activation or rollback on
    /// another instance (or by the <c>train</c> verb) is served here within about this long (ADR-151). Default 2 s;
    /// at least 100 ms.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
