using Recs.Core.Catalog;

namespace Recs.Core.Jobs;

/// <summary>Runs <see cref="CatalogImporter"/> on an uploaded file. One transaction: a cancelled import stores nothing.</summary>
public sealed class ImportCatalogJobHandler(CatalogImporter importer) : IJobHandler
{
    public JobKind Kind => JobKind.ImportCatalog;

    /// <summary>An import is one transaction, so after an interruption it must start again rather than continue.</summary>
    public bool Resumable => false;

    public async Task<JobOutcome> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var parameters = run.Parameters<ImportCatalogParameters>();
        run.Progress.Report(new JobProgress(0, null, $"reading {parameters.FileName}"));

        // The importer knows rows read and the share of the file done: the total is estimated from the two.
        var progress = new SynchronousProgress<CatalogImportProgress>(p => run.Progress.Report(new JobProgress(
            p.RowsRead,
            p.Fraction is > 0 and var f ? Math.Max(p.RowsRead, (long)Math.Round(p.RowsRead / f)) : null,
            $"{p.RowsRead:N0} rows read from {parameters.FileName}")));
        var result = await importer.ImportFileAsync(parameters.Path, progress, cancellationToken);

        run.Progress.Report(new JobProgress(result.RowsRead, result.RowsRead, null));
        UploadFiles.DeleteQuietly(parameters.Path);
        return JobOutcome.Succeeded(result,
            $"{result.TracksImported:N0} tracks imported ({result.TracksNew:N0} new) from {result.RowsRead:N0} rows; " +
            $"{result.DuplicatesMerged:N0} duplicates merged, {result.RowsRejected:N0} rows rejected");
    }
}

/// <summary>Runs <see cref="ArtistGenresImporter"/> on an uploaded artist → genres table.</summary>
public sealed class ImportArtistGenresJobHandler(ArtistGenresImporter importer) : IJobHandler
{
    public JobKind Kind => JobKind.ImportArtistGenres;

    public bool Resumable => false;

    public async Task<JobOutcome> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var parameters = run.Parameters<ImportArtistGenresParameters>();
        run.Progress.Report(new JobProgress(0, null, $"reading {parameters.FileName}"));
        var result = await importer.ImportFileAsync(parameters.Path, cancellationToken);
        run.Progress.Report(new JobProgress(result.RowsRead, result.RowsRead, null));
        UploadFiles.DeleteQuietly(parameters.Path);
        return JobOutcome.Succeeded(result,
            $"{result.ArtistsImported:N0} artists imported ({result.ArtistsWithGenres:N0} with genres) from {result.RowsRead:N0} rows; {result.RowsRejected:N0} rows rejected");
    }
}

internal static class UploadFiles
{
    /// <summary>An imported upload is no longer needed: the job keeps its name and the result.</summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
