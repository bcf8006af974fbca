using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Recs.Web.Authentication;

/// <summary>
/// Re-checks a live circuit's user every minute with the same rule as the cookie (tokens still held; demo still
/// available), so a sign-in that expired in a background job also signs out the open page.
/// </summary>
internal sealed class RecsRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory, UserTokenStore tokens, SpotifySignInSettings settings)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
        => await IsStillSignedInAsync(authenticationState.User, tokens, settings, cancellationToken);

    /// <summary>The rule shared with the cookie validation.</summary>
    internal static async Task<bool> IsStillSignedInAsync(
        ClaimsPrincipal user, UserTokenStore tokens, SpotifySignInSettings settings, CancellationToken cancellationToken)
    {
        var accountId = user.GetAccountId();
        if (accountId is null)
        {
            return false;
        }

        return user.IsDemo() ? settings.DemoAvailable : await tokens.HasTokensAsync(accountId, cancellationToken);
    }
}
