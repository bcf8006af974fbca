using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Recs.Core.Catalog;
using Recs.Core.Persistence;

namespace Recs.Core.FeatureServices;

/// <summary>What a contribution to the catalog did.</summary>
/// <param name="Added">New catalog tracks.</param>
/// <param name="AlreadyKnown">Tracks the catalog already held (never overwritten).</param>
/// <param name="Skipped">Tracks without a Spotify id, without features, or with a value out of range.</param>
/// <param name="Disabled">True when the admin turned contributions from uploads off (nothing was stored).</param>
public sealed record CatalogContributionResult(int Added, int AlreadyKnown, int Skipped, bool Disabled);

/// <summary>
/// The catalog grows from real features (issue 12.3): features from an uploaded file (source <c>file</c>) and from
/// the features service (source <c>service</c>) are stored as catalog tracks, so later listeners and the next training
/// benefit. Existing catalog tracks are never overwritten (a kaggle/export row keeps its features). Nothing records
/// who contributed: no user id is passed in or stored. Thread-safe (one writer at a time per process; a concurrent
/// insert from another instance is retried).
/// </summary>
public sealed class CatalogContributions(IDbContextFactory<RecsDbContext> dbFactory, TimeProvider time, ILogger<CatalogContributions> logger)
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>The admin setting "contribute uploaded features to the catalog" (default on).</summary>
    public async Task<bool> IsUploadContributionEnabledAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var value = await db.AdminSettings.AsNoTracking()
            .Where(s => s.Key == AdminSettingKeys.ContributeUploadedFeatures)
            .Select(s => s.Value)
            .FirstOrDefaultAsync(cancellationToken);
        return value is null || !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Turns contribution from uploads on or off (stored in the database, so every instance sees it).</summary>
    public async Task SetUploadContributionEnabledAsync(bool enabled, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var setting = await db.AdminSettings.FirstOrDefaultAsync(s => s.Key == AdminSettingKeys.ContributeUploadedFeatures, cancellationToken);
        if (setting is null)
        {
            setting = new AdminSetting { Key = AdminSettingKeys.ContributeUploadedFeatures };
            db.AdminSettings.Add(setting);
        }

        setting.Value = enabled ? "true" : "false";
        setting.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Contribution of uploaded features to the catalog turned {State}", enabled ? "on" : "off");
    }

    /// <summary>
    /// Stores the uploaded tracks that carry all five features (<see cref="TrackMetadata.KnownFeatures"/>) and a Spotify
    /// id as catalog tracks with source <c>file</c>, unless the admin turned it off. The other Spotify features an
    /// upload does not carry through <see cref="TrackMetadata"/> are stored as unknown (key −1, the rest 0).
    /// </summary>
    public async Task<CatalogContributionResult> ContributeUploadAsync(IReadOnlyCollection<TrackMetadata> tracks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        if (!await IsUploadContributionEnabledAsync(cancellationToken))
        {
            return new CatalogContributionResult(0, 0, tracks.Count, Disabled: true);
        }

        var rows = new List<CatalogTrack>(tracks.Count);
        var skipped = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var t in tracks)
        {
            if (t is not { Id: { Length: > 0 } id, IsLocal: false, KnownFeatures: { } f } || !SpotifyIds.IsValid(id) || FeatureRanges.Problem(f) is not null)
            {
                skipped++;
                continue;
            }

            if (!seen.Add(id))
            {
                continue; // a duplicate row of the same track in one file
            }

            var row = NewTrack(id, t, now, CatalogSources.File);
            (row.Tempo, row.Energy, row.Danceability, row.Valence, row.Loudness) = (f.Tempo, f.Energy, f.Danceability, f.Valence, f.Loudness);
            row.Key = -1;
            row.Mode = 1;
            rows.Add(row);
        }

        var added = await InsertNewAsync(rows, misses: [], cancellationToken);
        logger.LogInformation("Upload contributed {Added} tracks to the catalog ({Known} already known, {Skipped} without usable features)", added, rows.Count - added, skipped);
        return new CatalogContributionResult(added, rows.Count - added, skipped, Disabled: false);
    }

    /// <summary>
    /// Stores features service answers as catalog tracks (source <c>service</c>; names from <paramref name="metadata"/>
    /// when the caller knows them) and remembers the ids it did not know. Returns the number of new tracks.
    /// </summary>
    internal async Task<int> StoreServiceAnswersAsync(IReadOnlyList<ServiceAudioFeatures> found, IReadOnlyList<string> misses,
        Func<string, TrackMetadata?>? metadata, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = found.Select(s =>
        {
            var row = NewTrack(s.SpotifyId, metadata?.Invoke(s.SpotifyId), now, CatalogSources.Service);
            var f = s.All;
            (row.Tempo, row.Energy, row.Danceability, row.Valence, row.Loudness) = (f.Tempo, f.Energy, f.Danceability, f.Valence, f.Loudness);
            (row.Key, row.Mode, row.Speechiness, row.Acousticness, row.Instrumentalness, row.Liveness) =
                (f.Key, f.Mode, f.Speechiness, f.Acousticness, f.Instrumentalness, f.Liveness);
            row.TimeSignature = f.TimeSignature;
            if (s.DurationMs is { } d && row.DurationMs == 0)
            {
                row.DurationMs = d;
            }

            return row;
        }).ToList();
        return await InsertNewAsync(rows, misses, cancellationToken);
    }

    private static CatalogTrack NewTrack(string id, TrackMetadata? m, DateTimeOffset now, string source)
    {
        var artists = m?.Artists ?? [];
        return new CatalogTrack
        {
            Id = id,
            Name = m?.Name ?? "",
            Artists = string.Join(';', artists),
            ArtistIds = m is { ArtistIds.Count: > 0 } ? string.Join(';', m.ArtistIds) : null,
            AlbumName = m?.Album ?? "",
            PrimaryArtistKey = TextKeys.Normalize(artists.Count > 0 ? artists[0] : ""),
            TitleKey = TextKeys.Title(m?.Name ?? ""),
            Popularity = m?.Popularity,
            DurationMs = m?.DurationMs ?? 0,
            Explicit = m?.Explicit,
            ReleaseYear = m?.ReleaseYear,
            ArtistGenres = m is { Genres.Count: > 0 } ? string.Join(',', m.Genres) : null,
            Source = source,
            ImportedAt = now,
        };
    }

    /// <summary>Inserts the rows whose ids the catalog does not hold yet; updates the misses. One transaction.</summary>
    private async Task<int> InsertNewAsync(List<CatalogTrack> rows, IReadOnlyList<string> misses, CancellationToken cancellationToken)
    {
        if (rows.Count == 0 && misses.Count == 0)
        {
            return 0;
        }

        await _writer.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await InsertOnceAsync(rows, misses, cancellationToken);
                }
                catch (DbUpdateException ex) when (attempt < 3)
                {
                    // Another instance inserted one of these ids (or a miss) between our read and our write: read again.
                    logger.LogDebug(ex, "Catalog contribution raced another writer; retrying ({Attempt})", attempt);
                }
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<int> InsertOnceAsync(List<CatalogTrack> rows, IReadOnlyList<string> misses, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var added = 0;
        var now = time.GetUtcNow();
        foreach (var chunk in rows.Chunk(KnownFeatureLookup.CacheQueryChunk))
        {
            var ids = chunk.Select(r => r.Id).ToList();
            var existing = (await db.CatalogTracks.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken))
                .ToHashSet(StringComparer.Ordinal);
            var fresh = chunk.Where(r => !existing.Contains(r.Id)).ToList();
            db.CatalogTracks.AddRange(fresh);
            added += fresh.Count;

            // Found now: no longer a miss.
            await db.FeatureServiceMisses.Where(m => ids.Contains(m.TrackId)).ExecuteDeleteAsync(cancellationToken);
        }

        foreach (var chunk in misses.Chunk(KnownFeatureLookup.CacheQueryChunk))
        {
            var ids = chunk.ToList();
            var known = await db.FeatureServiceMisses.Where(m => ids.Contains(m.TrackId)).ToListAsync(cancellationToken);
            foreach (var m in known)
            {
                m.MissedAt = now;
            }

            var knownIds = known.Select(m => m.TrackId).ToHashSet(StringComparer.Ordinal);
            db.FeatureServiceMisses.AddRange(ids.Where(id => !knownIds.Contains(id)).Select(id => new FeatureServiceMiss { TrackId = id, MissedAt = now }));
        }

        await db.SaveChangesAsync(cancellationToken);
        if (added > 0)
        {
            await CatalogRevision.BumpAsync(db, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }
}
