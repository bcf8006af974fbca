namespace Recs.Web.Authentication;

/// <summary>
/// The <c>Spotify</c> configuration keys sign-in needs (DESIGN §8), read live from configuration so the app runs,
/// and explains itself, before credentials are configured.
/// </summary>
public sealed class SpotifySignInSettings(IConfiguration configuration)
{
    public const string DefaultAccountsBaseUrl = "https://accounts.spotify.com";
    public const string DefaultApiBaseUrl = "https://api.spotify.com/v1";

    public string ClientId => configuration["Spotify:ClientId"]?.Trim() ?? "";

    public string ClientSecret => configuration["Spotify:ClientSecret"]?.Trim() ?? "";

    public string AccountsBaseUrl => Trimmed(configuration["Spotify:AccountsBaseUrl"], DefaultAccountsBaseUrl);

    public string ApiBaseUrl => Trimmed(configuration["Spotify:ApiBaseUrl"], DefaultApiBaseUrl);

    /// <summary>Both the client id and secret are set: Spotify sign-in is possible.</summary>
    public bool IsConfigured => ClientId.Length > 0 && ClientSecret.Length > 0;

    /// <summary><c>Recs:DemoSignIn</c>: offer the demo listener even when Spotify is configured.</summary>
    public bool DemoSignInEnabled => configuration.GetValue("Recs:DemoSignIn", false);

    /// <summary>
    /// Demo mode: the demo sign-in is offered (and the demo listener is an admin) when Spotify is not configured,
    /// or when <c>Recs:DemoSignIn</c> is true. Never implicitly on a configured deployment, where anyone could
    /// otherwise become an admin by clicking "Explore the demo".
    /// </summary>
    public bool DemoAvailable => !IsConfigured || DemoSignInEnabled;

    public string AuthorizationEndpoint => AccountsBaseUrl + "/authorize";

    public string TokenEndpoint => AccountsBaseUrl + "/api/token";

    public string UserInformationEndpoint => ApiBaseUrl + "/me";

    private static string Trimmed(string? value, string fallback)
        => (string.IsNullOrWhiteSpace(value) ? fallback : value.Trim()).TrimEnd('/');
}
