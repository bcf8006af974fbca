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

    /// <summary>Absolute data directory.</summary>
    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);

    /// <summary>Directory holding model versions.</summary>
    public string ModelsDirectory => Path.Combine(ResolvedDataDirectory, "models");

    /// <summary>Path of the SQLite database file.</summary>
    public string DatabasePath => Path.Combine(ResolvedDataDirectory, "recs.db");
}
