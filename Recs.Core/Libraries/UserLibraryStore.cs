using Microsoft.EntityFrameworkCore;
using Recs.Core.Persistence;

namespace Recs.Core.Libraries;

/// <summary>What is known about a stored library without loading its tracks.</summary>
/// <param name="Version">Changes whenever the library is replaced (used in cache keys).</param>
public sealed record UserLibrarySummary(
    int Version,
    LibrarySource Source,
    DateTimeOffset FetchedAt,
    string? FileName,
    int TrackCount,
    int LocalFiles,
    int RejectedRows,
    bool HasAudioFeatures);

/// <summary>
/// Stores each listener's library (one per user, replaced as a whole) and their remembered choices.
/// A reload of the app reads the stored library instead of fetching it again.
/// </summary>
public sealed class UserLibraryStore(IDbContextFactory<RecsDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Separates list values (artists, genres) in one column: a control character no name contains.</summary>
    public const char ListSeparator = '\u001f';

    /// <summary>Replaces the user's library with <paramref name="tracks"/> in one transaction.</summary>
    /// <returns>The summary of the stored library.</returns>
    public async Task<UserLibrarySummary> SaveAsync(
        string userId,
        LibrarySource source,
        IReadOnlyList<TrackMetadata> tracks,
        int rejectedRows = 0,
        string? fileName = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The old library goes only when the new one is written: the transaction keeps it on failure.
        await db.UserLibraries.Where(l => l.UserId == userId).ExecuteDeleteAsync(cancellationToken);

        var library = new UserLibrary
        {
            UserId = userId,
            Source = source,
            FetchedAt = time.GetUtcNow(),
            FileName = fileName is null ? null : Path.GetFileName(fileName),
            TrackCount = tracks.Count,
            LocalFiles = tracks.Count(t => t.IsLocal || string.IsNullOrEmpty(t.Id)),
            RejectedRows = rejectedRows,
            HasAudioFeatures = tracks.Any(t => t.KnownFeatures is not null),
        };
        db.UserLibraries.Add(library);
        await db.SaveChangesAsync(cancellationToken);

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var i = 0; i < tracks.Count; i++)
        {
            db.UserLibraryTracks.Add(ToRow(library.Id, i, tracks[i]));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToSummary(library);
    }

    /// <summary>The user's stored library without its tracks, or null when they have none.</summary>
    public async Task<UserLibrarySummary?> GetSummaryAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var library = await db.UserLibraries.AsNoTracking().FirstOrDefaultAsync(l => l.UserId == userId, cancellationToken);
        return library is null ? null : ToSummary(library);
    }

    /// <summary>The tracks of the user's stored library in library order (empty when they have none).</summary>
    public async Task<IReadOnlyList<TrackMetadata>> LoadTracksAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.UserLibraryTracks.AsNoTracking()
            .Where(t => db.UserLibraries.Any(l => l.Id == t.UserLibraryId && l.UserId == userId))
            .OrderBy(t => t.Position)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(ToMetadata);
    }

    /// <summary>Removes the user's library.</summary>
    public async Task DeleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.UserLibraries.Where(l => l.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The user's <c>use_recs_model</c> choice: true unless they turned it off.</summary>
    public async Task<bool> GetUseRecsModelAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pref = await db.ListenerPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        return pref?.UseRecsModel ?? true;
    }

    /// <summary>Remembers the user's <c>use_recs_model</c> choice.</summary>
    public async Task SetUseRecsModelAsync(string userId, bool useRecsModel, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pref = await db.ListenerPreferences.FirstOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        if (pref is null)
        {
            db.ListenerPreferences.Add(new ListenerPreference { UserId = userId, UseRecsModel = useRecsModel });
        }
        else
        {
            pref.UseRecsModel = useRecsModel;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static UserLibrarySummary ToSummary(UserLibrary l)
        => new(l.Id, l.Source, l.FetchedAt, l.FileName, l.TrackCount, l.LocalFiles, l.RejectedRows, l.HasAudioFeatures);

    private static UserLibraryTrack ToRow(int libraryId, int position, TrackMetadata t)
    {
        var f = t.KnownFeatures;
        return new UserLibraryTrack
        {
            UserLibraryId = libraryId,
            Position = position,
            SpotifyId = string.IsNullOrEmpty(t.Id) ? null : t.Id,
            Name = t.Name,
            Artists = Join(t.Artists) ?? "",
            ArtistIds = Join(t.ArtistIds),
            Album = t.Album,
            ReleaseYear = t.ReleaseYear,
            DurationMs = t.DurationMs,
            Explicit = t.Explicit,
            Popularity = t.Popularity,
            Genres = Join(t.Genres),
            IsLocal = t.IsLocal,
            Tempo = f?.Tempo,
            Energy = f?.Energy,
            Danceability = f?.Danceability,
            Valence = f?.Valence,
            Loudness = f?.Loudness,
        };
    }

    /// <summary>A stored library row as the clustering and the catalog see it (with its file's features, if any).</summary>
    internal static TrackMetadata ToMetadata(UserLibraryTrack r) => new()
    {
        Id = r.SpotifyId,
        Name = r.Name,
        Artists = Split(r.Artists),
        ArtistIds = Split(r.ArtistIds),
        Album = r.Album,
        ReleaseYear = r.ReleaseYear,
        DurationMs = r.DurationMs,
        Explicit = r.Explicit,
        Popularity = r.Popularity,
        Genres = Split(r.Genres),
        IsLocal = r.IsLocal,
        KnownFeatures = r is { Tempo: { } tempo, Energy: { } energy, Danceability: { } dance, Valence: { } valence, Loudness: { } loudness }
            ? new AudioFeatures(tempo, energy, dance, valence, loudness)
            : null,
    };

    private static string? Join(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join(ListSeparator, values);

    private static string[] Split(string? value) => string.IsNullOrEmpty(value) ? [] : value.Split(ListSeparator);
}
