using Microsoft.Extensions.Options;
using Recs.Core.Spotify;

namespace Recs.Web.Authentication;

/// <summary>
/// What sign-in needs from <see cref="SpotifyOptions"/> (docs/contracts.md §Configuration), read live so the app runs, and explains itself,
/// before credentials are configured; plus whether the demo listener is offered.
/// </summary>
public sealed class SpotifySignInSettings(IOptionsMonitor<SpotifyOptions> spotify, IConfiguration configuration)
{
    private SpotifyOptions Spotify => spotify.CurrentValue;

    public string ClientId => Spotify.ClientId.Trim();

    public string ClientSecret => Spotify.ClientSecret.Trim();

    /// <summary>Both the client id and secret are set: Spotify sign-in is possible.</summary>
    public bool IsConfigured => Spotify.HasCredentials;

    /// <summary><c>Recs:DemoSignIn</c>: offer the demo listener even when Spotify is configured.</summary>
    public bool DemoSignInEnabled => configuration.GetValue("Recs:DemoSignIn", false);

    /// <summary>
    /// Demo mode: the demo sign-in is offered (and the demo listener is an admin) when Spotify is not configured,
    /// or when <c>Recs:DemoSignIn</c> is true. Never implicitly on a configured deployment, where anyone could
    /// otherwise become an admin by clicking "Explore the demo".
    /// </summary>
    public bool DemoAvailable => !IsConfigured || DemoSignInEnabled;

    public string AuthorizationEndpoint => Spotify.AuthorizationEndpoint;

    public string TokenEndpoint => Spotify.TokenEndpoint;

    public string UserInformationEndpoint => Spotify.ApiBase + "/me";
}
