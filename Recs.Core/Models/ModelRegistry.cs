using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recs.Core.Persistence;
using Recs.Core.Prediction;
using Recs.Core.Prediction.Serving;

namespace Recs.Core.Models;

/// <summary>
/// Model versions: a <see cref="ModelVersion"/> row each, with every artifact file stored beside it in the database
/// (<see cref="ModelVersionFile"/>, ADR-151) so that every instance can load it, and a directory of those files under
/// <see cref="RecsOptions.ModelsDirectory"/> (written by training, or by <see cref="ModelFileStore"/> from the
/// database). Activation loads the version first (a broken version never becomes active), then flips
/// <see cref="ModelVersion.IsActive"/> in one transaction and swaps <see cref="ActiveModel"/>; the other instances
/// see the flip at their next poll.
/// </summary>
public sealed class ModelRegistry(
    IDbContextFactory<RecsDbContext> dbFactory,
    ActiveModel activeModel,
    IOptions<RecsOptions> recsOptions,
    TimeProvider? timeProvider = null,
    ILogger<ModelRegistry>? logger = null,
    ModelFileStore? files = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger<ModelRegistry>.Instance;

    /// <summary>
    /// A new, unique version id ("yyyyMMdd-HHmmss-k{k}", with a suffix when taken) and its directory under
    /// <see cref="RecsOptions.ModelsDirectory"/> (not created). For a training run that writes its artifacts there.
    /// </summary>
    public (string Id, string Directory) NewVersion(int k)
    {
        var stamp = _time.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var root = recsOptions.Value.ModelsDirectory;
        var id = $"{stamp}-k{k}";
        for (var n = 2; System.IO.Directory.Exists(Path.Combine(root, id)); n++)
        {
            id = $"{stamp}-k{k}-{n}";
        }

        return (id, Path.Combine(root, id));
    }

    /// <summary>
    /// Registers a version whose files are already in <see cref="ModelVersion.Directory"/> (not active yet): its row and
    /// every file of the directory are stored in one transaction. Version ids are made from the time and k, so two
    /// instances that train at the same second pick the same id; the database decides who has it (its primary key), and
    /// the later one is registered under the next free id (<c>…-2</c>, <c>…-3</c>) rather than failing or touching the
    /// other's version. <see cref="ModelVersion.Id"/> and the <c>model_version</c> in its metrics (row and file) then
    /// say the id it got.
    /// </summary>
    /// <exception cref="InvalidDataException">The directory lacks the cluster model or the catalog lookup.</exception>
    public async Task<ModelVersion> RegisterAsync(ModelVersion version, CancellationToken cancellationToken = default)
    {
        if (new ModelArtifacts(version.Directory).Missing(ModelArtifacts.RequiredFiles) is [var file, ..])
        {
            throw new InvalidDataException($"model version {version.Id}: {file} not found in {version.Directory}");
        }

        version.Directory = Path.GetFullPath(version.Directory);
        version.IsActive = false;
        version.ActivatedAt = null;
        if (version.CreatedAt == default)
        {
            version.CreatedAt = _time.GetUtcNow();
        }

        var requested = version.Id;
        for (var attempt = 1; ; attempt++)
        {
            if (await IsTakenAsync(version.Id, cancellationToken))
            {
                await RenameAsync(version, requested, cancellationToken);
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.ModelVersions.Add(version);
            if (files is not null)
            {
                db.ModelVersionFiles.AddRange(ModelFileStore.ReadDirectory(version.Id, version.Directory));
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                break;
            }
            catch (DbUpdateException) when (attempt < MaxRegisterAttempts)
            {
                // Another instance registered this id between the check and the insert (nothing of ours was written):
                // the next round takes another id. Any other failure is not ours to retry.
                if (!await IsTakenAsync(version.Id, cancellationToken))
                {
                    throw;
                }
            }
        }

        if (version.Id != requested)
        {
            _logger.LogWarning("Model version id {Requested} was registered by another instance meanwhile; this version is {Version}", requested, version.Id);
        }

        _logger.LogInformation("Registered model version {Version} in {Directory}", version.Id, version.Directory);
        return version;
    }

    private const int MaxRegisterAttempts = 10;

    private async Task<bool> IsTakenAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ModelVersions.AnyAsync(v => v.Id == id, cancellationToken);
    }

    /// <summary>Gives <paramref name="version"/> the first free id <c>{requested}-n</c> and writes it into its metrics.</summary>
    private async Task RenameAsync(ModelVersion version, string requested, CancellationToken cancellationToken)
    {
        List<string> taken;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var prefix = requested + "-";
            taken = await db.ModelVersions.Where(v => v.Id == requested || v.Id.StartsWith(prefix)).Select(v => v.Id).ToListAsync(cancellationToken);
        }

        var id = Enumerable.Range(2, int.MaxValue - 2).Select(n => $"{requested}-{n}").First(candidate => !taken.Contains(candidate));
        version.MetricsJson = WithModelVersion(version.MetricsJson, id);
        var metricsFile = Path.Combine(version.Directory, ModelArtifacts.MetricsFile);
        if (File.Exists(metricsFile))
        {
            await File.WriteAllTextAsync(metricsFile, WithModelVersion(await File.ReadAllTextAsync(metricsFile, cancellationToken), id), cancellationToken);
        }

        version.Id = id;
    }

    /// <summary>The metrics JSON with its <c>model_version</c> (when it has one) set to <paramref name="id"/>.</summary>
    private static string WithModelVersion(string metricsJson, string id)
    {
        if (System.Text.Json.Nodes.JsonNode.Parse(metricsJson) is not System.Text.Json.Nodes.JsonObject metrics || !metrics.ContainsKey("model_version"))
        {
            return metricsJson;
        }

        metrics["model_version"] = id;
        return metrics.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = metricsJson.Contains('\n') });
    }

    /// <summary>All versions, newest first.</summary>
    public async Task<IReadOnlyList<ModelVersion>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var versions = await db.ModelVersions.AsNoTracking().ToListAsync(cancellationToken);
        // DateTimeOffset is stored as binary in SQLite: order in memory (a handful of rows).
        return versions.OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>One version, or null.</summary>
    public async Task<ModelVersion?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="id"/> the active version: loads it, flips <c>IsActive</c> in one transaction, swaps the
    /// in-memory model. Requests that already took the previous model finish on it.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such version.</exception>
    /// <exception cref="InvalidDataException">Its files are missing or broken (nothing changes).</exception>
    public async Task<RecsModel> ActivateAsync(string id, CancellationToken cancellationToken = default)
    {
        var version = await FindAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"no model version '{id}'");
        var model = await activeModel.LoadAsync(version, cancellationToken); // outside the lock: loading takes a while, and a failure changes nothing
        return await activeModel.ExclusiveAsync(async () =>
        {
            var now = _time.GetUtcNow();
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                await db.ModelVersions.Where(v => v.IsActive && v.Id != id)
                    .ExecuteUpdateAsync(s => s.SetProperty(v => v.IsActive, false), cancellationToken);
                var updated = await db.ModelVersions.Where(v => v.Id == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(v => v.IsActive, true).SetProperty(v => v.ActivatedAt, now), cancellationToken);
                if (updated != 1)
                {
                    throw new KeyNotFoundException($"no model version '{id}'");
                }

                await tx.CommitAsync(cancellationToken);
            }

            version.IsActive = true;
            version.ActivatedAt = now;
            activeModel.Swap(model);
            _logger.LogInformation("Activated model version {Version}", id);
            return model;
        }, cancellationToken);
    }

    /// <summary>Activates the version that was active before the current one.</summary>
    /// <exception cref="InvalidOperationException">No earlier version was ever active.</exception>
    public async Task<RecsModel> RollbackAsync(CancellationToken cancellationToken = default)
    {
        var versions = await ListAsync(cancellationToken);
        var previous = versions.Where(v => !v.IsActive && v.ActivatedAt is not null).MaxBy(v => v.ActivatedAt)
            ?? throw new InvalidOperationException("no earlier active model version to roll back to");
        return await ActivateAsync(previous.Id, cancellationToken);
    }
}
