using System.Globalization;
using Microsoft.Extensions.Options;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.Enrichment;
using Recs.Core.Persistence;
using Recs.Core.Spotify;
using Microsoft.EntityFrameworkCore;

namespace Recs.Web.Cli;

/// <summary>
/// <c>enrich --csv PATH --output PATH [--batch-size 50] [--delay 0.5] [--limit N]</c> (docs/contracts.md §CLI): the original
/// <c>enrich_kaggle_metadata</c> step. Imports the CSV into the catalog, fetches Spotify metadata with app-only tokens
/// for tracks not enriched yet (resumable through the database), writes the enriched CSV. A quota pause prints the
/// resume time and exits with <see cref="PausedExitCode"/>; running the same command again continues.
/// </summary>
public sealed class EnrichVerb(CatalogImporter importer, EnrichmentRunner runner, IDbContextFactory<RecsDbContext> dbFactory, IOptions<SpotifyOptions> spotify) : ICliVerb
{
    /// <summary>Exit code of a run stopped by Spotify's quota (distinct from errors: 1, bad input: 2).</summary>
    public const int PausedExitCode = 75;

    public string Name => "enrich";

    public string Summary => "fetch Spotify metadata for catalog tracks: --csv PATH --output PATH [--batch-size 50] [--delay 0.5] [--limit N] (resumable)";

    // Spotify:* overrides are configuration (e.g. --Spotify:ApiBaseUrl=http://127.0.0.1:PORT/v1), listed so they pass.
    public IReadOnlyCollection<string> Options =>
        [
            "csv", "output", "batch-size", "delay", "limit",
            "Spotify:ClientId", "Spotify:ClientSecret", "Spotify:AccountsBaseUrl", "Spotify:ApiBaseUrl",
            "Spotify:MaxRetryAttempts", "Spotify:RetryBaseDelay", "Spotify:MaxRetryAfter",
        ];

    public async Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken cancellationToken)
    {
        var csv = args.RequireFile("csv");
        var outputPath = args.Require("output");
        var request = new EnrichmentRequest
        {
            BatchSize = args.Int("batch-size", SpotifyClient.MaxBatchSize, 1, SpotifyClient.MaxBatchSize),
            Delay = TimeSpan.FromSeconds(args.Double("delay", 0.5, 0, 3600)),
            Limit = args.OptionalInt("limit", 1),
        };
        if (!spotify.Value.HasCredentials)
        {
            throw new CliUsageException($"Spotify is not configured: set {SpotifyOptions.SectionName}:ClientId and {SpotifyOptions.SectionName}:ClientSecret " +
                "(user-secrets, environment variables Spotify__ClientId / Spotify__ClientSecret, or --Spotify:ClientId=… --Spotify:ClientSecret=…)");
        }

        CatalogImportResult import;
        try
        {
            import = await importer.ImportFileAsync(csv, null, cancellationToken);
        }
        catch (CatalogFormatException ex)
        {
            throw new CliUsageException(ex.Message);
        }

        output.Progress($"catalog: {import.TracksImported:N0} tracks from {Path.GetFileName(csv)} ({import.RowsRejected:N0} rows rejected)");
        var progress = new SynchronousProgress<EnrichmentProgress>(p =>
        {
            if (p.Done == p.Total || p.Done % 50 == 0 || p.Mode == SpotifyMode.Development && p.Done % 10 == 0)
            {
                output.Progress($"enriched {p.Done:N0} of {p.Total:N0} ({p.Mode} mode, {p.Failed:N0} not found)");
            }
        });

        EnrichmentOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(request, progress, cancellationToken);
        }
        catch (SpotifyAccountsException ex)
        {
            throw new CliUsageException($"Spotify refused the app's credentials: {ex.Message}");
        }
        catch (Exception ex) when (SpotifyExceptions.IsSpotifyFailure(ex))
        {
            // Everything stored before the failure stays: the same command continues from there.
            await output.Error.WriteLineAsync($"error: {ex.Message}. Tracks enriched so far are stored; run the same command again to continue.");
            return 1;
        }

        var written = await EnrichedCsvWriter.WriteAsync(csv, outputPath, dbFactory, cancellationToken);
        int total;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            total = await db.CatalogTracks.CountAsync(cancellationToken);
        }

        output.Result(new EnrichJson(outcome.Fetched, outcome.Skipped, outcome.Failed, outcome.Remaining, total, outcome.Mode.ToString().ToLowerInvariant(),
            outcome.IsPaused, outcome.PausedUntil, outcome.Requests, outcome.ArtistsLookedUp, written.Path, written.Rows, written.RowsEnriched,
            import.RowsRejected, import.Errors));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"Enrichment ({outcome.Mode} mode) of {Path.GetFileName(csv)}"));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"  fetched            {outcome.Fetched,10:N0}"));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"  skipped            {outcome.Skipped,10:N0}  (already enriched)"));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"  failed             {outcome.Failed,10:N0}  (unknown to Spotify)"));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"  remaining          {outcome.Remaining,10:N0}"));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"  requests           {outcome.Requests,10:N0}  ({outcome.ArtistsLookedUp:N0} artist lookups)"));
        output.Line($"  wrote {written.Path} ({written.Rows:N0} rows, {written.RowsEnriched:N0} enriched)");
        if (import.RowsRejected > 0)
        {
            ImportCatalogVerb.WriteErrors(output, import.Errors, import.RowsRejected);
        }

        if (outcome.PausedUntil is { } until)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"Spotify's quota is used up: paused until {until.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC. Run the same command again after that to continue.");
            output.Line(message);
            output.Progress(message);
            return PausedExitCode;
        }

        return 0;
    }

    private sealed record EnrichJson(
        int Fetched,
        int Skipped,
        int Failed,
        int Remaining,
        int CatalogTracks,
        string Mode,
        bool Paused,
        DateTimeOffset? PausedUntil,
        int Requests,
        int ArtistLookups,
        string Output,
        int OutputRows,
        int OutputRowsEnriched,
        int RowsRejected,
        IReadOnlyList<RowError> Errors);
}
