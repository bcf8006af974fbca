using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Recs.Core.Accounts;
using Recs.Core.Spotify;

namespace Recs.Web.Authentication;

/// <summary>Sign-in failed for a reason the sign-in page can explain (<see cref="SignInReasons"/>).</summary>
public sealed class SpotifySignInException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}

/// <summary>The user fields Recs reads from <c>GET /me</c> (all that Development Mode still returns).</summary>
public sealed record SpotifyProfile(string AccountId, string? SpotifyUserId, string DisplayName, string? ImageUrl)
{
    /// <summary>Reads <c>/me</c>: the key is <c>account_id</c> (Spotify's recommended stable key since 2026-05), else <c>id</c>.</summary>
    public static SpotifyProfile Parse(JsonElement me)
    {
        var accountId = String(me, "account_id");
        var id = String(me, "id");
        var key = !string.IsNullOrWhiteSpace(accountId) ? accountId : id;
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new SpotifySignInException(SignInReasons.Failed, "Spotify's /me answered without account_id or id.");
        }

        string? image = null;
        if (me.TryGetProperty("images", out var images) && images.ValueKind == JsonValueKind.Array)
        {
            // Spotify lists the largest image first; any works for an avatar, the first is the sharpest.
            image = images.EnumerateArray().Select(i => String(i, "url")).FirstOrDefault(u => !string.IsNullOrWhiteSpace(u));
        }

        var name = String(me, "display_name");
        return new SpotifyProfile(key, id, string.IsNullOrWhiteSpace(name) ? id ?? key : name, image);
    }

    private static string? String(JsonElement element, string property)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>The OAuth handler's events: claims from <c>/me</c>, tokens into the server-side store, failures explained.</summary>
internal static class SpotifySignInEvents
{
    public static async Task CreatingTicketAsync(OAuthCreatingTicketContext context)
    {
        var services = context.HttpContext.RequestServices;
        var settings = services.GetRequiredService<SpotifySignInSettings>();
        var cancellationToken = context.HttpContext.RequestAborted;

        using var request = new HttpRequestMessage(HttpMethod.Get, settings.UserInformationEndpoint);
        SpotifyRequestCounter.Tag(request, "GET /me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", context.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await context.Backchannel.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            // Development Mode: users not added in the dashboard can log in but every call answers 403.
            throw new SpotifySignInException(SignInReasons.NotRegistered, "Spotify answered 403 to /me: the user is not registered for this app.");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new SpotifySignInException(SignInReasons.Failed, $"Spotify answered {(int)response.StatusCode} to /me.");
        }

        using var me = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var profile = SpotifyProfile.Parse(me.RootElement);
        if (profile.AccountId == UserAccount.DemoAccountId)
        {
            // The demo listener's key is reserved: a real account must never share its data or its admin rights.
            throw new SpotifySignInException(SignInReasons.Failed, "A Spotify account key collides with the reserved demo account id.");
        }

        var identity = context.Identity!;
        identity.AddClaim(new Claim(RecsClaimTypes.AccountId, profile.AccountId));
        identity.AddClaim(new Claim(RecsClaimTypes.DisplayName, profile.DisplayName));
        if (profile.SpotifyUserId is not null)
        {
            identity.AddClaim(new Claim(RecsClaimTypes.SpotifyUserId, profile.SpotifyUserId));
        }

        if (profile.ImageUrl is not null)
        {
            identity.AddClaim(new Claim(RecsClaimTypes.ImageUrl, profile.ImageUrl));
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        await services.GetRequiredService<UserAccountStore>()
            .RecordSignInAsync(profile.AccountId, profile.SpotifyUserId, profile.DisplayName, profile.ImageUrl, isDemo: false, cancellationToken);
        var scope = context.TokenResponse.Response?.RootElement.TryGetProperty("scope", out var s) == true && s.ValueKind == JsonValueKind.String
            ? s.GetString() ?? ""
            : string.Join(' ', context.Options.Scope);
        await services.GetRequiredService<UserTokenStore>().SaveAsync(
            profile.AccountId, context.AccessToken!, context.RefreshToken, now.Add(context.ExpiresIn ?? TimeSpan.FromHours(1)), scope,
            consentedAt: now, cancellationToken);
    }

    public static Task AccessDeniedAsync(AccessDeniedContext context)
    {
        context.Response.Redirect(AuthenticationPaths.SignInFor(context.ReturnUrl, SignInReasons.Denied));
        context.HandleResponse();
        return Task.CompletedTask;
    }

    public static Task RemoteFailureAsync(RemoteFailureContext context)
    {
        var reason = context.Failure is SpotifySignInException signIn ? signIn.Reason : SignInReasons.Failed;
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SpotifySignInEvents))
            .LogWarning(context.Failure, "Spotify sign-in failed ({Reason}).", reason);
        context.Response.Redirect(AuthenticationPaths.SignInFor(context.Properties?.RedirectUri, reason));
        context.HandleResponse();
        return Task.CompletedTask;
    }
}
