using System.Security.Claims;

namespace Recs.Web.Libraries;

/// <summary>Who the listener is: the stable user id their library and choices are stored under.</summary>
public static class ListenerUser
{
    /// <summary>The signed-in user's id (name identifier claim, else the name), or null when anonymous.</summary>
    public static string? IdOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub") ?? user.Identity.Name;
        return string.IsNullOrWhiteSpace(id) ? null : id;
    }
}
