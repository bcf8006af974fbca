using System.Security.Claims;
using Recs.Web.Authentication;

namespace Recs.Web.Admin;

/// <summary>The admin area's authorization: every page under /admin and every admin endpoint requires <see cref="PolicyName"/>.</summary>
public static class AdminAuthorization
{
    /// <summary>The named policy built by the authentication feature (configured admins, plus the demo listener in demo mode).</summary>
    public const string PolicyName = RecsPolicies.Admin;

    /// <summary>Who an action is recorded as: the account id, else the name.</summary>
    public static string Who(ClaimsPrincipal user) =>
        user.GetAccountId() ?? user.Identity?.Name ?? "unknown";
}
