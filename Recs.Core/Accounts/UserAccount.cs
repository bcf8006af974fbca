namespace Recs.Core.Accounts;

/// <summary>Someone who has signed in to Recs (with Spotify, or as the demo listener).</summary>
public sealed class UserAccount
{
    /// <summary>The account key used everywhere in Recs: Spotify's <c>account_id</c> (else <c>id</c>), or <see cref="DemoAccountId"/>.</summary>
    public string AccountId { get; set; } = "";

    /// <summary>Spotify's user id (<c>id</c> from <c>/me</c>), kept because some endpoints still address users by it.</summary>
    public string? SpotifyUserId { get; set; }

    public string DisplayName { get; set; } = "";

    public string? ImageUrl { get; set; }

    public bool IsDemo { get; set; }

    public DateTimeOffset FirstSignInAt { get; set; }

    public DateTimeOffset LastSignInAt { get; set; }

    /// <summary>The fixed account id of the demo listener.</summary>
    public const string DemoAccountId = "demo";
}
