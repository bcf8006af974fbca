using System.Security.Claims;

namespace Recs.Web.Authentication;

/// <summary>
/// The claims of a signed-in Recs user. The account key is <see cref="ClaimTypes.NameIdentifier"/> (Spotify's
/// <c>account_id</c>, else <c>id</c>; <c>demo</c> for the demo listener) and the display name is <see cref="ClaimTypes.Name"/>.
/// </summary>
public static class RecsClaimTypes
{
    /// <summary>The account key (= <see cref="ClaimTypes.NameIdentifier"/>).</summary>
    public const string AccountId = ClaimTypes.NameIdentifier;

    /// <summary>The display name (= <see cref="ClaimTypes.Name"/>).</summary>
    public const string DisplayName = ClaimTypes.Name;

    /// <summary>Profile image URL from <c>/me</c> (absent when the user has none).</summary>
    public const string ImageUrl = "urn:recs:image_url";

    /// <summary>Spotify's user <c>id</c> (may differ from the account id).</summary>
    public const string SpotifyUserId = "urn:recs:spotify_user_id";

    /// <summary>Present with value <c>true</c> on the demo listener only.</summary>
    public const string Demo = "urn:recs:demo";
}
