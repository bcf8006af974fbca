using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recs.Core;
using Recs.Core.Jobs;
using Recs.Core.Persistence;

namespace Recs.Web.Jobs;

/// <summary>An upload saved under the data directory, ready for a job to read.</summary>
public sealed record SavedUpload(string Path, string FileName, long Bytes);

/// <summary>Thrown when an upload is larger than <see cref="JobsOptions.MaxUploadBytes"/>; nothing is kept.</summary>
public sealed class UploadTooLargeException(long limit)
    : Exception($"The file is larger than the upload limit of {ByteSize.Format(limit)} ({limit:N0} bytes, Jobs:MaxUploadBytes).")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Saves uploads (catalog CSV, library export, artist genres table) to <c>{data}/uploads</c> by streaming them, so a
/// job runs from the file rather than from memory or from a request that has long ended.
/// </summary>
/// <remarks>
/// An upload belongs to the job it was saved for. What no active job refers to any more — the upload of an import that a
/// crash interrupted, a half-written <c>.partial</c> of a request that died — is deleted at start-up and whenever a job
/// ends (<see cref="DeleteUnreferencedAsync"/>), once it is older than <see cref="JobsOptions.UploadCleanupGrace"/> (so the
/// upload being written right now, or saved a moment before its job is queued, is never taken).
/// </remarks>
public sealed class JobUploads(IOptions<RecsOptions> recs, IOptions<JobsOptions> jobs, TimeProvider time,
    IDbContextFactory<RecsDbContext> dbFactory, ILogger<JobUploads> logger)
{
    public string Directory => Path.Combine(recs.Value.ResolvedDataDirectory, "uploads");

    public long MaxBytes => jobs.Value.MaxUploadBytes;

    /// <summary>Copies <paramref name="content"/> to a new file; throws <see cref="UploadTooLargeException"/> past the limit.</summary>
    public async Task<SavedUpload> SaveAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var safeName = SafeFileName(fileName);
        var path = Path.Combine(Directory, $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}-{safeName}");
        var partial = path + ".partial";
        long total = 0;
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > MaxBytes)
                    {
                        throw new UploadTooLargeException(MaxBytes);
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            // Only a complete file gets its final name, so a job never reads half an upload.
            File.Move(partial, path);
            return new SavedUpload(path, safeName, total);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>
    /// Deletes the files in <see cref="Directory"/> that no queued, running or paused job refers to and that were last
    /// written longer than the grace period ago. Returns the paths deleted.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeleteUnreferencedAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.Jobs.AsNoTracking()
            .Where(j => Job.ActiveStatuses.Contains(j.Status))
            .Select(j => j.ParametersJson)
            .ToListAsync(cancellationToken);
        var referenced = new HashSet<string>(active.Select(UploadPath).OfType<string>().Select(Path.GetFullPath), StringComparer.Ordinal);

        var cutoff = time.GetUtcNow().UtcDateTime - jobs.Value.UploadCleanupGrace;
        var deleted = new List<string>();
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles())
        {
            if (referenced.Contains(file.FullName) || file.LastWriteTimeUtc > cutoff)
            {
                continue;
            }

            try
            {
                file.Delete();
                deleted.Add(file.FullName);
                logger.LogInformation("Deleted upload {File} ({Size}): no job refers to it", file.Name, ByteSize.Format(file.Length));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Could not delete the unreferenced upload {File}", file.FullName);
            }
        }

        return deleted;
    }

    /// <summary>The upload a job's parameters name (<see cref="IUploadJobParameters.Path"/>, "path" in JSON), if any.</summary>
    private static string? UploadPath(string parametersJson)
    {
        try
        {
            using var document = JsonDocument.Parse(parametersJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("path", out var path)
                   && path.ValueKind == JsonValueKind.String
                ? path.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The file's own name without directories or characters a file system would trip over.</summary>
    public static string SafeFileName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/'));
        var invalid = Path.GetInvalidFileNameChars();
        name = new string(name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim();
        if (name.Length > 100)
        {
            name = name[^100..];
        }

        return string.IsNullOrWhiteSpace(name) || name is "." or ".." ? "upload.csv" : name;
    }
}
