using System.Globalization;
using Recs.Core;
using Recs.Core.Libraries;
using Recs.Core.Models;
using Recs.Core.Prediction;
using Recs.Core.Prediction.Training;
using Recs.Core.Prediction.Serving;
using Recs.Core.RealFeatures;

namespace Recs.Web.Cli;

/// <summary>
/// <c>evaluate --library PATH [--profile full|development]</c> (docs/contracts.md §CLI): predicts every track of a library file
/// that carries true audio features from its metadata only and reports MAE, R² and cluster agreement for tracks in and
/// not in the catalog, next to the simple rule.
/// </summary>
public sealed class EvaluateVerb(ActiveModel activeModel) : ICliVerb
{
    public string Name => "evaluate";

    public string Summary => "evaluate predictions on a library file with audio features: --library PATH [--profile full|development] [--shrinkage K]";

    public IReadOnlyCollection<string> Options => ["library", "profile", "shrinkage"];

    public async Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken cancellationToken)
    {
        var path = args.RequireFile("library");
        var profile = (args.Get("profile") ?? InputProfiles.Full).ToLowerInvariant();
        if (!InputProfiles.All.Contains(profile))
        {
            throw new CliUsageException($"--profile: '{profile}' is not one of {string.Join(", ", InputProfiles.All)}");
        }

        var model = await activeModel.GetAsync(cancellationToken)
            ?? throw new CliUsageException("no active model: run 'train' first");
        if (model.Predictor is not MetadataPredictor predictor)
        {
            throw new CliUsageException($"model version {model.VersionId} has no metadata models: train a new version");
        }

        LibraryReadResult library;
        try
        {
            library = LibraryFileReader.ReadFile(path);
        }
        catch (Exception ex) when (ex is IOException or LibraryFormatException)
        {
            throw new CliUsageException($"--library: {ex.Message}");
        }

        if (!library.HasAudioFeatures)
        {
            throw new CliUsageException($"--library: {path} has no audio-feature columns, so there is nothing to evaluate against");
        }

        var shrinkage = PredictionCorrection.DefaultShrinkage;
        if (args.Get("shrinkage") is { } k)
        {
            if (!double.TryParse(k, NumberStyles.Float, CultureInfo.InvariantCulture, out shrinkage) || !(shrinkage >= 0) || !double.IsFinite(shrinkage))
            {
                throw new CliUsageException($"--shrinkage: '{k}' is not a number >= 0 (the k of the correction's n/(n+k))");
            }
        }

        // The evaluation predicts every track as if its features were unknown; a track repeated in the file counts once.
        var merged = LibraryDuplicates.Merge(library.Tracks);
        var result = LibraryEvaluator.Evaluate(model.VersionId, model.Clusters, model.Catalog, predictor, merged.Tracks, library.RowsRead, profile, shrinkage)
            with { DuplicatesMerged = merged.DuplicatesMerged };
        output.Result(result);
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"Evaluated {Path.GetFileName(path)} with model {result.ModelVersion}, {profile} metadata: {result.TracksWithFeatures:N0} of {result.RowsRead:N0} rows carry audio features"));
        Write(output, "in the catalog (predicted without the catalog's copy)", result.InCatalog);
        Write(output, "not in the catalog", result.NotInCatalog);
        if (result.Correction is { } c)
        {
            output.Line();
            output.Line(string.Create(CultureInfo.InvariantCulture,
                $"per-library correction (k = {c.Shrinkage:0.##}, {c.Folds} folds, {c.HeldOutTracks:N0} held-out tracks): cluster agreement {c.Before.Agreement:0.000} -> {c.After.Agreement:0.000} ({c.AgreementGain:+0.000;-0.000;0.000}), kappa {c.Before.Kappa:0.000} -> {c.After.Kappa:0.000}"));
            foreach (var f in AudioFeatures.Names)
            {
                output.Line(string.Create(CultureInfo.InvariantCulture, $"  {f,-13} MAE {c.MaeBefore[f],9:0.000} -> {c.MaeAfter[f],9:0.000}"));
            }
        }

        return 0;
    }

    private static void Write(CliOutput output, string title, LibraryEvaluationGroup g)
    {
        output.Line();
        output.Line(string.Create(CultureInfo.InvariantCulture, $"{title}: {g.Tracks:N0} tracks"));
        if (g.Tracks == 0)
        {
            return;
        }

        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"  cluster agreement {g.ClusterAgreement:0.000}   by chance {g.ChanceAgreement:0.000}   kappa {g.Kappa:0.000}   simple rule {g.BaselineClusterAgreement:0.000}   majority cluster {g.MajorityClusterRate:0.000}"));
        foreach (var f in AudioFeatures.Names)
        {
            output.Line(string.Create(CultureInfo.InvariantCulture, $"  {f,-13} MAE {g.Features[f].Mae,9:0.000}   R² {g.Features[f].R2,7:0.000}"));
        }

        output.Line("  tiers: " + string.Join(", ", g.Tiers.Select(t => $"{t.Key} {t.Value}")));
    }
}
