using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Recs.Core.Accounts;
using Recs.Core.Persistence;

namespace Recs.Web.Authentication;

/// <summary>A user's Spotify tokens in clear text, as read from <see cref="UserTokenStore"/>.</summary>
public sealed record StoredUserToken(
    string AccountId, string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt, string Scope, DateTimeOffset ConsentedAt);

/// <summary>
/// Server-side store of users' Spotify tokens (<see cref="UserToken"/> rows), encrypted with ASP.NET Data Protection
/// whose keys live in the data directory, so background work can act for a user and a restart keeps everyone signed in.
/// </summary>
public sealed class UserTokenStore(
    IDbContextFactory<RecsDbContext> dbFactory, IDataProtectionProvider dataProtection, IMemoryCache cache, TimeProvider time,
    ILogger<UserTokenStore> logger)
{
    // Versioned purpose: changing the format later cannot misread old ciphertext.
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Recs.Authentication.UserTokens.v1");

    /// <summary>Stores (or replaces) a user's tokens.</summary>
    /// <param name="consentedAt">When the user authorised Recs; null on a refresh keeps the stored time.</param>
    public async Task SaveAsync(
        string accountId, string accessToken, string? refreshToken, DateTimeOffset expiresAt, string scope, DateTimeOffset? consentedAt,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.UserTokens.SingleOrDefaultAsync(t => t.AccountId == accountId, cancellationToken);
        if (row is null)
        {
            row = new UserToken { AccountId = accountId, ConsentedAt = consentedAt ?? time.GetUtcNow() };
            db.UserTokens.Add(row);
        }

        row.ProtectedAccessToken = _protector.Protect(accessToken);
        row.ProtectedRefreshToken = refreshToken is null ? null : _protector.Protect(refreshToken);
        row.ExpiresAt = expiresAt;
        row.Scope = scope;
        row.ConsentedAt = consentedAt ?? row.ConsentedAt;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        cache.Set(CacheKey(accountId), true, CacheFor);
    }

    /// <summary>The user's tokens, or null when there are none (never signed in, signed out, or sign-in expired).</summary>
    public async Task<StoredUserToken?> GetAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.UserTokens.AsNoTracking().SingleOrDefaultAsync(t => t.AccountId == accountId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        try
        {
            return new StoredUserToken(
                row.AccountId,
                _protector.Unprotect(row.ProtectedAccessToken),
                row.ProtectedRefreshToken is null ? null : _protector.Unprotect(row.ProtectedRefreshToken),
                row.ExpiresAt, row.Scope, row.ConsentedAt);
        }
        catch (CryptographicException ex)
        {
            // The keys in the data directory were lost or replaced: the tokens are unreadable, so the user must sign in again.
            logger.LogWarning(ex, "Stored Spotify tokens of {AccountId} cannot be decrypted; clearing them.", accountId);
            await ClearAsync(accountId, cancellationToken);
            return null;
        }
    }

    /// <summary>Deletes the user's tokens (sign-out, or Spotify answered <c>invalid_grant</c>).</summary>
    public async Task ClearAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.UserTokens.Where(t => t.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        cache.Set(CacheKey(accountId), false, CacheFor);
    }

    /// <summary>
    /// Whether the user has tokens. Asked on every cookie-authenticated request, so answered from a short cache that
    /// <see cref="SaveAsync"/> and <see cref="ClearAsync"/> keep exact within this process.
    /// </summary>
    public async Task<bool> HasTokensAsync(string accountId, CancellationToken cancellationToken = default)
    {
        if (cache.TryGetValue(CacheKey(accountId), out bool known))
        {
            return known;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var exists = await db.UserTokens.AnyAsync(t => t.AccountId == accountId, cancellationToken);
        cache.Set(CacheKey(accountId), exists, CacheFor);
        return exists;
    }

    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private static string CacheKey(string accountId) => "recs:has-tokens:" + accountId;
}
