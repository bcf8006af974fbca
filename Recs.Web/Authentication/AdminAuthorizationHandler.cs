using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Recs.Core;

namespace Recs.Web.Authentication;

/// <summary>
/// An admin is a signed-in user whose account id is listed in <c>Recs:Admins</c> (read live, so editing the list
/// takes effect without a restart), or the demo listener while the demo is available.
/// </summary>
internal sealed class AdminAuthorizationHandler(IOptionsMonitor<RecsOptions> recs, SpotifySignInSettings settings)
    : AuthorizationHandler<AdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminRequirement requirement)
    {
        var accountId = context.User.GetAccountId();
        if (accountId is not null && IsAdmin(context, accountId))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private bool IsAdmin(AuthorizationHandlerContext context, string accountId)
        => context.User.IsDemo()
            ? settings.DemoAvailable
            : recs.CurrentValue.Admins.Any(a => string.Equals(a?.Trim(), accountId, StringComparison.Ordinal));
}
