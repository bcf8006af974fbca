using System.Security.Claims;
using Recs.Web.Authentication;

namespace Recs.Web.Libraries;

/// <summary>Who the listener is: the stable user id their library and choices are stored under.</summary>
public static class ListenerUser
{
    /// <summary>The signed-in user's id (the account id claim), or null when anonymous.</summary>
    public static string? IdOf(ClaimsPrincipal? user)
    {
        // The account key of the sign-in (Spotify's account id, "demo" for the demo listener).
        var id = user?.GetAccountId();
        return string.IsNullOrWhiteSpace(id) ? null : id;
    }
}
