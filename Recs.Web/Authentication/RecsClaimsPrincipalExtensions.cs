using System.Security.Claims;
using Recs.Core.Accounts;

namespace Recs.Web.Authentication;

/// <summary>Reading the Recs claims.</summary>
public static class RecsClaimsPrincipalExtensions
{
    /// <summary>The account key of a signed-in user, or null for an anonymous one.</summary>
    public static string? GetAccountId(this ClaimsPrincipal user)
        => user.Identity?.IsAuthenticated == true ? user.FindFirst(RecsClaimTypes.AccountId)?.Value : null;

    public static string? GetDisplayName(this ClaimsPrincipal user) => user.FindFirst(RecsClaimTypes.DisplayName)?.Value;

    public static string? GetImageUrl(this ClaimsPrincipal user) => user.FindFirst(RecsClaimTypes.ImageUrl)?.Value;

    /// <summary>Who an action (a job started, cancelled, paused) is recorded as: the account id, else the name.</summary>
    public static string ActingAs(this ClaimsPrincipal user) => user.GetAccountId() ?? user.Identity?.Name ?? "unknown";

    /// <summary>True for the demo listener (who has no Spotify tokens).</summary>
    public static bool IsDemo(this ClaimsPrincipal user)
        => user.Identity?.IsAuthenticated == true && user.HasClaim(RecsClaimTypes.Demo, "true")
           && user.GetAccountId() == UserAccount.DemoAccountId;
}
