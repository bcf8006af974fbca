namespace Recs.Web.Authentication;

/// <summary>The sign-in related URLs of the app.</summary>
public static class AuthenticationPaths
{
    public const string SignInPage = "/signin";
    public const string NotAllowedPage = "/not-allowed";
    public const string Login = "/authentication/login";
    public const string Logout = "/authentication/logout";
    public const string Demo = "/authentication/demo";
    public const string Expired = "/authentication/expired";
    public const string SpotifyCallback = "/signin-spotify";

    /// <summary>Starts Spotify sign-in, coming back to <paramref name="returnUrl"/>.</summary>
    public static string LoginFor(string? returnUrl) => Login + "?returnUrl=" + Uri.EscapeDataString(LocalRedirect.OrRoot(returnUrl));

    /// <summary>The sign-in page, optionally with a reason code shown to the user (see <see cref="SignInReasons"/>).</summary>
    public static string SignInFor(string? returnUrl, string? reason = null)
        => SignInPage + "?returnUrl=" + Uri.EscapeDataString(LocalRedirect.OrRoot(returnUrl))
           + (reason is null ? "" : "&reason=" + Uri.EscapeDataString(reason));

    /// <summary>
    /// Where to send a user whose token source answered <see cref="UserTokenResult.SignInRequired"/>: it ends the cookie
    /// session (a real HTTP request, so use <c>NavigateTo(…, forceLoad: true)</c>) and shows "Your Spotify sign-in expired".
    /// </summary>
    public static string SignInExpired(string? returnUrl) => Expired + "?returnUrl=" + Uri.EscapeDataString(LocalRedirect.OrRoot(returnUrl));
}

/// <summary>Reason codes the sign-in page turns into messages (codes, never free text from a query string).</summary>
public static class SignInReasons
{
    public const string Expired = "expired";
    public const string Denied = "denied";
    public const string NotRegistered = "not-registered";
    public const string NotConfigured = "not-configured";
    public const string DemoUnavailable = "demo-unavailable";
    public const string Failed = "failed";

    /// <summary>The message for a reason code, or null for none/unknown.</summary>
    public static string? Message(string? reason) => reason switch
    {
        Expired => "Your Spotify sign-in expired — sign in again.",
        Denied => "Spotify sign-in was cancelled. Recs needs your permission to read your library.",
        NotRegistered => "Spotify refused this account: in Development Mode only the users added to the app in the Spotify Developer Dashboard (at most 5) can use it. Ask the owner to add you.",
        NotConfigured => "Spotify sign-in is not configured on this Recs yet.",
        DemoUnavailable => "The demo is not available on this Recs.",
        Failed => "Spotify sign-in failed. Please try again.",
        _ => null,
    };
}
