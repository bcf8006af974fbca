namespace Recs.Core.Accounts;

/// <summary>
/// A signed-in user's Spotify tokens, kept server-side so background work can call Spotify for them.
/// The token columns hold ciphertext (ASP.NET Data Protection, applied by the web host), never the raw tokens.
/// </summary>
public sealed class UserToken
{
    /// <summary>The <see cref="UserAccount.AccountId"/> these tokens belong to.</summary>
    public string AccountId { get; set; } = "";

    /// <summary>Protected access token.</summary>
    public string ProtectedAccessToken { get; set; } = "";

    /// <summary>Protected refresh token (Spotify rotates it on PKCE refreshes; kept when none comes back).</summary>
    public string? ProtectedRefreshToken { get; set; }

    /// <summary>When the access token stops working.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The scopes Spotify granted (space separated).</summary>
    public string Scope { get; set; } = "";

    /// <summary>
    /// When the user consented. Spotify refresh tokens expire six months after this, whatever the refreshes in between.
    /// </summary>
    public DateTimeOffset ConsentedAt { get; set; }

    /// <summary>Last time the tokens were replaced (sign-in or refresh).</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
