using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Endpoints;

namespace Recs.Web.Authentication;

/// <summary>
/// The cookie session: ends it when the user's Spotify tokens are gone (sign-in expired or signed out elsewhere), and
/// answers API callers with problem details instead of redirects.
/// </summary>
internal static class CookieEvents
{
    private const string ExpiredMarker = "recs:sign-in-expired";

    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal;
        var services = context.HttpContext.RequestServices;
        var valid = user is not null && await RecsRevalidatingAuthenticationStateProvider.IsStillSignedInAsync(
            user, services.GetRequiredService<UserTokenStore>(), services.GetRequiredService<SpotifySignInSettings>(),
            context.HttpContext.RequestAborted);
        if (!valid && user?.GetAccountId() is not null && !user.IsDemo())
        {
            // The Spotify sign-in ended (invalid_grant, or signed out elsewhere): say so on the sign-in page.
            context.HttpContext.Items[ExpiredMarker] = true;
        }

        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    public static Task RedirectToLoginAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsApiRequest(context.HttpContext))
        {
            return Problem(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign in required", "Sign in to Recs to use this endpoint.");
        }

        var target = context.RedirectUri;
        if (context.HttpContext.Items.ContainsKey(ExpiredMarker))
        {
            target += (target.Contains('?') ? "&" : "?") + "reason=" + SignInReasons.Expired;
        }

        context.Response.Redirect(target);
        return Task.CompletedTask;
    }

    public static Task RedirectToAccessDeniedAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsApiRequest(context.HttpContext))
        {
            return Problem(context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed", "Your account is not allowed to use this endpoint.");
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Anything that is not a page of the app (minimal API endpoints, <c>/api/…</c>) gets status codes, not redirects.</summary>
    internal static bool IsApiRequest(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not null)
        {
            return endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is null;
        }

        return context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/admin/api");
    }

    private static Task Problem(HttpContext context, int status, string title, string detail)
        => Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
}
