using Microsoft.EntityFrameworkCore;
using Recs.Core.Accounts;
using Recs.Core.Persistence;

namespace Recs.Web.Authentication;

/// <summary>Records who signed in (<see cref="UserAccount"/> rows) for the rest of the app (libraries, admin pages).</summary>
public sealed class UserAccountStore(IDbContextFactory<RecsDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Creates or updates the account at sign-in.</summary>
    public async Task<UserAccount> RecordSignInAsync(
        string accountId, string? spotifyUserId, string displayName, string? imageUrl, bool isDemo, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var account = await db.UserAccounts.SingleOrDefaultAsync(a => a.AccountId == accountId, cancellationToken);
        if (account is null)
        {
            account = new UserAccount { AccountId = accountId, FirstSignInAt = now };
            db.UserAccounts.Add(account);
        }

        account.SpotifyUserId = spotifyUserId;
        account.DisplayName = displayName;
        account.ImageUrl = imageUrl;
        account.IsDemo = isDemo;
        account.LastSignInAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }
}
