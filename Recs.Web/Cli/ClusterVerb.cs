using System.Globalization;
using Recs.Core.Clustering;
using Recs.Core.Libraries;
using Recs.Core.Models;
using Recs.Core.RealFeatures;

namespace Recs.Web.Cli;

/// <summary>
/// <c>cluster --library PATH [--use-recs-model true|false]</c> (docs/contracts.md §CLI): clusters a library export with the active
/// model; <c>--json</c> prints exactly the §6 response. Rows the reader rejects are listed on stderr.
/// </summary>
public sealed class ClusterVerb(ActiveModel activeModel, LibraryClusterer clusterer, RealFeatureResolver resolver) : ICliVerb
{
    /// <summary>Exit code when no model version is active.</summary>
    public const int NoActiveModelExitCode = 1;

    public string Name => "cluster";

    public string Summary => "cluster a library export with the active model: --library PATH [--use-recs-model true|false]";

    public IReadOnlyCollection<string> Options => ["library", "use-recs-model"];

    public async Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken cancellationToken)
    {
        var path = args.RequireFile("library");
        var useRecsModel = args.Bool("use-recs-model", true);
        var model = await activeModel.GetAsync(cancellationToken);
        if (model is null)
        {
            await output.Error.WriteLineAsync(activeModel.LoadError is { } error
                ? $"error: the active model cannot be loaded: {error}"
                : "error: no active model: run `train` first");
            return NoActiveModelExitCode;
        }

        LibraryReadResult library;
        try
        {
            library = LibraryFileReader.ReadFile(path);
        }
        catch (LibraryFormatException ex)
        {
            throw new CliUsageException(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--library: cannot read {path}: {ex.Message}");
        }

        foreach (var e in library.Errors)
        {
            output.Progress($"{Path.GetFileName(path)} line {e.Line}: {e.Message} (row skipped)");
        }

        var merged = LibraryDuplicates.Merge(library.Tracks);
        if (merged.DuplicatesMerged > 0)
        {
            output.Progress($"{Path.GetFileName(path)}: {merged.DuplicatesMerged:N0} repeated rows of the same track merged ({merged.Tracks.Count:N0} distinct tracks)");
        }

        // The same order as the web app: the file, the catalog (also tracks added since training), a features service.
        var resolved = await resolver.ResolveAsync(model, merged.Tracks, cancellationToken);
        if (resolved.Lookup is { } lookup)
        {
            output.Progress($"looked up {resolved.Asked:N0} tracks the file and the model's catalog do not know: {lookup.FromCache:N0} in the database, "
                + $"{lookup.FromService:N0} from the features service ({lookup.Requests:N0} requests), {lookup.Misses:N0} unknown"
                + (lookup.ThrottledUntil is { } until ? $"; the service asked to wait until {until:u}" : ""));
        }

        var result = clusterer.Cluster(model, merged.Tracks, useRecsModel, resolved.Known);
        output.Result(Api.ClustersResponse.From(result));

        var c = result.Coverage;
        output.Line($"Clustered {Path.GetFileName(path)} with model {result.ModelVersion} (use-recs-model {(useRecsModel ? "on" : "off")})");
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"  coverage: {c.Clustered:N0} of {c.Total:N0} tracks ({c.Pct:0.0}%): {c.FromFile:N0} from the file, {c.FromCatalog:N0} from the catalog ({c.MatchedById:N0} by id, {c.MatchedByArtistTitle:N0} by artist + title), {c.FromService:N0} from a features service, {c.Predicted:N0} predicted"));
        if (result.CheckSet is { Agreement.Tracks: > 0 } check)
        {
            output.Line(string.Create(CultureInfo.InvariantCulture,
                $"  check set: on {check.Agreement.Tracks:N0} tracks with known features the predicted cluster was right {100 * check.Agreement.Agreement:0.0}% of the time; by chance {100 * check.Agreement.ChanceAgreement:0.0}% (kappa {check.Agreement.Kappa:0.000})"));
        }
        if (c.Predicted > 0)
        {
            output.Line("  predicted confidence: " + string.Join(", ", c.Tiers.Select(t => $"{t.Key}: {t.Value:N0}")));
        }

        if (model.Predictor is null && useRecsModel)
        {
            output.Line("  (this model version has no predictor: tracks outside the catalog stay unclustered)");
        }

        foreach (var g in result.Clusters)
        {
            var f = g.Centroid;
            output.Line(string.Create(CultureInfo.InvariantCulture,
                $"  {g.Id,2}  {g.Name,-36} {g.Size,6:N0} tracks   {f.Tempo,5:0} BPM  energy {f.Energy:0.00}  dance {f.Danceability:0.00}  valence {f.Valence:0.00}  {f.Loudness:0.0} dB"));
        }

        if (result.Unclustered.Count > 0)
        {
            output.Line($"  not clustered ({result.Unclustered.Count:N0} tracks without real features{(useRecsModel ? " or prediction" : "; the Recs model is off")}):");
            foreach (var t in result.Unclustered)
            {
                output.Line($"    {t.Name} — {string.Join(", ", t.Artists)}");
            }
        }

        return 0;
    }
}
