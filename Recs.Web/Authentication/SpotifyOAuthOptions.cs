using Microsoft.AspNetCore.Authentication.OAuth;

namespace Recs.Web.Authentication;

/// <summary>Names and fixed settings of the Spotify sign-in.</summary>
public static class SpotifyAuthenticationDefaults
{
    public const string AuthenticationScheme = "Spotify";

    /// <summary>Read the library, create private playlists, read the profile (NOTES: scopes Recs needs).</summary>
    public static readonly IReadOnlyList<string> Scopes = ["user-library-read", "playlist-modify-private", "user-read-private"];
}

/// <summary>
/// <see cref="OAuthOptions"/> that tolerate missing credentials: the authentication middleware builds every remote
/// handler on every request, and the stock validation would then fail every page of an unconfigured Recs — which must
/// instead show how to configure Spotify and offer the demo. <see cref="AuthenticationApi"/> never challenges this
/// scheme until <see cref="IsConfigured"/>.
/// </summary>
public sealed class SpotifyOAuthOptions : OAuthOptions
{
    public bool IsConfigured { get; set; }

    public override void Validate()
    {
        if (IsConfigured)
        {
            base.Validate();
        }
    }
}
