using Microsoft.AspNetCore.Components;

namespace Recs.Web.Authentication;

public static class NavigationManagerExtensions
{
    /// <summary>
    /// For a component whose token source answered <see cref="UserTokenResult.SignInRequired"/>: ends the session and shows
    /// "Your Spotify sign-in expired — sign in again", coming back to the current page after the new sign-in.
    /// </summary>
    public static void NavigateToSignInExpired(this NavigationManager navigation)
        => navigation.NavigateTo(AuthenticationPaths.SignInExpired("/" + navigation.ToBaseRelativePath(navigation.Uri)), forceLoad: true);
}
