using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Accounts;
using Recs.Core.Persistence;

namespace Recs.Web.Authentication;

/// <summary><c>/authentication/*</c>: start Spotify sign-in, demo sign-in, sign-out, and the end of an expired session.</summary>
public static class AuthenticationApi
{
    public const string DemoDisplayName = "Demo listener";

    public static IEndpointRouteBuilder MapAuthenticationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/authentication").ExcludeFromDescription();
        group.MapGet("/login", Login);
        // Form-bound POSTs: the antiforgery middleware validates them (the forms carry <AntiforgeryToken />).
        group.MapPost("/logout", LogoutAsync);
        group.MapPost("/demo", DemoAsync);
        group.MapGet("/expired", ExpiredAsync);
        group.MapGet("/me", MeAsync).RequireAuthorization();

        // Who has signed in: lets an admin find the account id to add to Recs:Admins.
        app.MapGet("/admin/api/accounts", ListAccountsAsync).RequireAuthorization(RecsPolicies.Admin).ExcludeFromDescription();
        return app;
    }

    /// <summary>Challenges Spotify, coming back to the local <paramref name="returnUrl"/> (anything else goes to <c>/</c>).</summary>
    public static Results<ChallengeHttpResult, RedirectHttpResult> Login(string? returnUrl, SpotifySignInSettings settings)
    {
        if (!settings.IsConfigured)
        {
            return TypedResults.Redirect(AuthenticationPaths.SignInFor(returnUrl, SignInReasons.NotConfigured));
        }

        var properties = new AuthenticationProperties { RedirectUri = LocalRedirect.OrRoot(returnUrl), IsPersistent = true };
        return TypedResults.Challenge(properties, [SpotifyAuthenticationDefaults.AuthenticationScheme]);
    }

    /// <summary>Ends the session and deletes the stored Spotify tokens: after sign-out Recs no longer acts for the user.</summary>
    public static async Task<RedirectHttpResult> LogoutAsync([FromForm] string? returnUrl, HttpContext context, UserTokenStore tokens)
    {
        var accountId = context.User.GetAccountId();
        if (accountId is not null && !context.User.IsDemo())
        {
            await tokens.ClearAsync(accountId, context.RequestAborted);
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.Redirect(LocalRedirect.OrRoot(returnUrl));
    }

    /// <summary>Signs in the demo listener (cookie only, no Spotify) when the demo is available.</summary>
    public static async Task<RedirectHttpResult> DemoAsync(
        [FromForm] string? returnUrl, HttpContext context, SpotifySignInSettings settings, UserAccountStore accounts)
    {
        if (!settings.DemoAvailable)
        {
            return TypedResults.Redirect(AuthenticationPaths.SignInFor(returnUrl, SignInReasons.DemoUnavailable));
        }

        await accounts.RecordSignInAsync(UserAccount.DemoAccountId, null, DemoDisplayName, null, isDemo: true, context.RequestAborted);
        await context.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme, DemoPrincipal(), new AuthenticationProperties { IsPersistent = true });
        return TypedResults.Redirect(LocalRedirect.OrRoot(returnUrl));
    }

    /// <summary>
    /// Where the UI sends a user whose token source answered "sign in again": ends the session and shows why. A user whose
    /// tokens are still valid is just sent back, so a link to this URL cannot sign anyone out.
    /// </summary>
    public static async Task<RedirectHttpResult> ExpiredAsync(string? returnUrl, HttpContext context, UserTokenStore tokens)
    {
        var accountId = context.User.GetAccountId();
        if (accountId is not null && (context.User.IsDemo() || await tokens.HasTokensAsync(accountId, context.RequestAborted)))
        {
            return TypedResults.Redirect(LocalRedirect.OrRoot(returnUrl));
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.Redirect(AuthenticationPaths.SignInFor(returnUrl, SignInReasons.Expired));
    }

    /// <summary>The signed-in user as the app sees them (snake_case JSON).</summary>
    public static async Task<Ok<CurrentUser>> MeAsync(ClaimsPrincipal user, IAuthorizationService authorization)
    {
        var admin = await authorization.AuthorizeAsync(user, RecsPolicies.Admin);
        return TypedResults.Ok(new CurrentUser(user.GetAccountId()!, user.GetDisplayName() ?? "", user.GetImageUrl(), user.IsDemo(), admin.Succeeded));
    }

    public static async Task<Ok<UserAccount[]>> ListAccountsAsync(IDbContextFactory<RecsDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.UserAccounts.AsNoTracking().ToArrayAsync(cancellationToken);
        return TypedResults.Ok(accounts.OrderByDescending(a => a.LastSignInAt).ToArray());
    }

    internal static ClaimsPrincipal DemoPrincipal()
        => new(new ClaimsIdentity(
            [
                new Claim(RecsClaimTypes.AccountId, UserAccount.DemoAccountId),
                new Claim(RecsClaimTypes.DisplayName, DemoDisplayName),
                new Claim(RecsClaimTypes.Demo, "true"),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme));
}

/// <summary>Response of <c>GET /authentication/me</c>.</summary>
public sealed record CurrentUser(
    [property: System.Text.Json.Serialization.JsonPropertyName("account_id")] string AccountId,
    [property: System.Text.Json.Serialization.JsonPropertyName("display_name")] string DisplayName,
    [property: System.Text.Json.Serialization.JsonPropertyName("image_url")] string? ImageUrl,
    [property: System.Text.Json.Serialization.JsonPropertyName("is_demo")] bool IsDemo,
    [property: System.Text.Json.Serialization.JsonPropertyName("is_admin")] bool IsAdmin);
