using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recs.Core.Persistence;
using Recs.Core.Prediction;
using Recs.Core.Prediction.Serving;

namespace Recs.Core.Models;

/// <summary>
/// The files of every model version kept in the database (<see cref="ModelVersionFile"/>, ADR-151), so that every
/// instance sharing the database can load every version whatever its data directory. The database is the source of
/// truth: a directory is used only while every file's SHA-256 matches it — the version's recorded directory when this
/// instance can read it (it trained the version, or shares that directory), else a copy under this instance's
/// <see cref="RecsOptions.ModelsDirectory"/>, written atomically (a temporary directory moved into place).
/// </summary>
public sealed class ModelFileStore(
    IDbContextFactory<RecsDbContext> dbFactory, IOptions<RecsOptions> recsOptions, ILogger<ModelFileStore>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<ModelFileStore>.Instance;

    /// <summary>Where this instance keeps (or would keep) its copy of <paramref name="versionId"/>'s files.</summary>
    public string LocalDirectory(string versionId)
    {
        if (string.IsNullOrWhiteSpace(versionId) || Path.GetFileName(versionId) != versionId || versionId is "." or "..")
        {
            throw new ArgumentException($"'{versionId}' is not a model version id", nameof(versionId));
        }

        return Path.Combine(recsOptions.Value.ModelsDirectory, versionId);
    }

    /// <summary>Reads every file of a version directory (no subdirectories: a version is a flat directory, docs/contracts.md §Artifacts).</summary>
    public static List<ModelVersionFile> ReadDirectory(string versionId, string directory) =>
        System.IO.Directory.EnumerateFiles(directory)
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                var content = File.ReadAllBytes(path);
                return new ModelVersionFile { VersionId = versionId, Name = Path.GetFileName(path), Content = content, Sha256 = Sha256(content) };
            })
            .ToList();

    /// <summary>
    /// Stores the files of a registered version whose files are not in the database yet (a version registered before
    /// ADR-151). Returns false when its files were already stored (by this or another instance) or its directory is gone.
    /// </summary>
    public async Task<bool> StoreIfMissingAsync(ModelVersion version, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.ModelVersionFiles.AnyAsync(f => f.VersionId == version.Id, cancellationToken)
            || new ModelArtifacts(version.Directory).Missing(ModelArtifacts.RequiredFiles).Count > 0)
        {
            return false;
        }

        db.ModelVersionFiles.AddRange(ReadDirectory(version.Id, version.Directory));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance stored them at the same time (primary key): theirs are the same files.
            return false;
        }

        _logger.LogInformation("Stored the files of model version {Version} in the database", version.Id);
        return true;
    }

    /// <summary>
    /// The version with <see cref="ModelVersion.Directory"/> pointing at a directory of this instance that holds
    /// exactly the files stored in the database: the recorded directory when it matches, else this instance's copy
    /// when it matches, else that copy written from the database into a temporary directory and moved into place. A version without stored files (registered before ADR-151) is
    /// returned as it is (its recorded directory), after storing its files when that directory has them.
    /// </summary>
    /// <exception cref="InvalidDataException">A stored file does not match its checksum.</exception>
    public async Task<ModelVersion> MaterializeAsync(ModelVersion version, CancellationToken cancellationToken = default) =>
        (await MaterializeAsync(version, useRecordedDirectory: true, cancellationToken)).Version;

    /// <summary>
    /// Loads a version through <paramref name="load"/> from the directory <see cref="MaterializeAsync(ModelVersion, CancellationToken)"/>
    /// gives. A directory that is not this instance's own copy (the trainer's) can change while it is read — a CLI's
    /// temporary data directory removed once it has trained, an old version cleaned up on a shared disk — so a load
    /// from there that fails, or after which the directory no longer matches the database, is done again from this
    /// instance's own copy, written from the database.
    /// </summary>
    /// <exception cref="InvalidDataException">A stored file does not match its checksum, or a file is missing or malformed.</exception>
    public async Task<T> LoadAsync<T>(ModelVersion version, Func<ModelVersion, T> load, CancellationToken cancellationToken = default)
    {
        var (source, stored) = await MaterializeAsync(version, useRecordedDirectory: true, cancellationToken);
        var own = LocalDirectory(version.Id);
        if (PathsEqual(source.Directory, own))
        {
            return await Task.Run(() => load(source), cancellationToken);
        }

        try
        {
            var loaded = await Task.Run(() => load(source), cancellationToken);
            if (stored.Count == 0 || Matches(source.Directory, stored)) // nothing stored: the directory is all there is (pre-ADR-151)
            {
                return loaded;
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "Model version {Version} could not be read from {Directory}", version.Id, source.Directory);
        }

        _logger.LogWarning("Model version {Version} changed in {Directory} while it was loaded: loading this instance's own copy", version.Id, source.Directory);
        var (copy, _) = await MaterializeAsync(version, useRecordedDirectory: false, cancellationToken);
        return await Task.Run(() => load(copy), cancellationToken);
    }

    private async Task<Dictionary<string, string>> StoredChecksumsAsync(string versionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ModelVersionFiles.AsNoTracking().Where(f => f.VersionId == versionId)
            .ToDictionaryAsync(f => f.Name, f => f.Sha256, cancellationToken);
    }

    // The directory to load from and the stored checksums it was checked against (empty: a version from before ADR-151).
    private async Task<(ModelVersion Version, Dictionary<string, string> Stored)> MaterializeAsync(ModelVersion version, bool useRecordedDirectory, CancellationToken cancellationToken)
    {
        var stored = await StoredChecksumsAsync(version.Id, cancellationToken);
        if (stored.Count == 0)
        {
            await StoreIfMissingAsync(version, cancellationToken);
            return (version, stored);
        }

        if (useRecordedDirectory && Matches(version.Directory, stored))
        {
            return (version, stored); // where it was trained (this machine, or a directory shared with the trainer)
        }

        var local = LocalDirectory(version.Id);
        if (Matches(local, stored))
        {
            return (WithDirectory(version, local), stored);
        }

        await WriteAsync(version.Id, local, cancellationToken);
        return (WithDirectory(version, local), stored);
    }

    private async Task WriteAsync(string versionId, string local, CancellationToken cancellationToken)
    {
        var root = Path.GetDirectoryName(local)!;
        System.IO.Directory.CreateDirectory(root);
        var temp = Path.Combine(root, $".tmp-{versionId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(temp);
        try
        {
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                // One file at a time: a version's catalog lookup can be tens of MB.
                var names = await db.ModelVersionFiles.AsNoTracking().Where(f => f.VersionId == versionId)
                    .Select(f => f.Name).ToListAsync(cancellationToken);
                foreach (var name in names)
                {
                    var file = await db.ModelVersionFiles.AsNoTracking()
                        .FirstAsync(f => f.VersionId == versionId && f.Name == name, cancellationToken);
                    if (Sha256(file.Content) != file.Sha256 || Path.GetFileName(file.Name) != file.Name)
                    {
                        throw new InvalidDataException($"model version {versionId}: the stored {file.Name} is damaged (its SHA-256 does not match)");
                    }

                    await File.WriteAllBytesAsync(Path.Combine(temp, file.Name), file.Content, cancellationToken);
                }
            }

            if (System.IO.Directory.Exists(local))
            {
                // A stale or partial copy (e.g. a crash in an older version): set aside, then removed.
                var old = Path.Combine(root, $".old-{versionId}-{Guid.NewGuid():N}");
                System.IO.Directory.Move(local, old);
                System.IO.Directory.Delete(old, recursive: true);
            }

            try
            {
                System.IO.Directory.Move(temp, local);
            }
            catch (IOException) when (System.IO.Directory.Exists(local))
            {
                // Another loader sharing this data directory moved its copy in first: the same files.
            }

            _logger.LogInformation("Wrote model version {Version} from the database to {Directory}", versionId, local);
        }
        finally
        {
            if (System.IO.Directory.Exists(temp))
            {
                System.IO.Directory.Delete(temp, recursive: true);
            }
        }
    }

    private static bool Matches(string directory, Dictionary<string, string> stored)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return false;
        }

        try
        {
            foreach (var (name, sha) in stored)
            {
                using var stream = File.OpenRead(Path.Combine(directory, name));
                if (Convert.ToHexStringLower(SHA256.HashData(stream)) != sha)
                {
                    return false;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // missing, or removed while it was read
        }

        return true;
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);

    /// <summary>Lower-case hex SHA-256.</summary>
    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static ModelVersion WithDirectory(ModelVersion v, string directory) => new()
    {
        Id = v.Id,
        CreatedAt = v.CreatedAt,
        Directory = directory,
        K = v.K,
        Seed = v.Seed,
        Trainer = v.Trainer,
        TrainingTracks = v.TrainingTracks,
        MetricsJson = v.MetricsJson,
        IsDemo = v.IsDemo,
        IsActive = v.IsActive,
        ActivatedAt = v.ActivatedAt,
        CreatedBy = v.CreatedBy,
    };
}
