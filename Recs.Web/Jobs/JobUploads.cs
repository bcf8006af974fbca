using Microsoft.Extensions.Options;
using Recs.Core;

namespace Recs.Web.Jobs;

/// <summary>An upload saved under the data directory, ready for a job to read.</summary>
public sealed record SavedUpload(string Path, string FileName, long Bytes);

/// <summary>Thrown when an upload is larger than <see cref="JobsOptions.MaxUploadBytes"/>; nothing is kept.</summary>
public sealed class UploadTooLargeException(long limit)
    : Exception($"The file is larger than the upload limit of {limit / (1024 * 1024)} MB (Jobs:MaxUploadBytes).")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Saves uploads (catalog CSV, library export, artist genres table) to <c>{data}/uploads</c> by streaming them, so a
/// job runs from the file rather than from memory or from a request that has long ended.
/// </summary>
public sealed class JobUploads(IOptions<RecsOptions> recs, IOptions<JobsOptions> jobs, TimeProvider time)
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
