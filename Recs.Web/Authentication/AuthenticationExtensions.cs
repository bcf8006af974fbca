using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Recs.Core;
using Recs.Core.Spotify;

namespace Recs.Web.Authentication;

public static class AuthenticationExtensions
{
    /// <summary>
    /// Cookie sessions with Spotify sign-in (OAuth code flow + PKCE against <c>Spotify:AccountsBaseUrl</c>), the
    /// server-side encrypted token store with per-user token sources, the demo listener and the <see cref="RecsPolicies.Admin"/> policy.
    /// </summary>
    public static IHostApplicationBuilder AddRecsAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddHttpContextAccessor();

        // Tokens and accounts
        services.AddSingleton<SpotifySignInSettings>();
        services.AddSingleton<UserTokenStore>();
        services.AddSingleton<UserAccountStore>();
        services.AddSingleton<UserSpotifyTokenSources>();
        services.AddHttpClient<SpotifyTokenRefreshClient>(http => http.Timeout = TimeSpan.FromSeconds(30)).AddSpotifyRequestCounting();

        // Data Protection keys in the database: cookies and stored tokens stay readable across restarts and on every
        // instance sharing the database (ADR-152); keys an older Recs kept in {data}/keys are copied in once.
        services.AddDataProtection().SetApplicationName("Recs");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<RecsOptions>, IDbContextFactory<RecsDbContext>, ILoggerFactory>((options, recs, dbFactory, loggers) =>
                options.XmlRepository = new DatabaseXmlRepository(
                    dbFactory, Path.Combine(recs.Value.ResolvedDataDirectory, "keys"), loggers.CreateLogger<DatabaseXmlRepository>()));

        // Schemes
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = "recs.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromDays(14);
                options.SlidingExpiration = true;
                options.LoginPath = AuthenticationPaths.SignInPage;
                options.AccessDeniedPath = AuthenticationPaths.NotAllowedPage;
                options.ReturnUrlParameter = "returnUrl";
                options.Events.OnValidatePrincipal = CookieEvents.ValidatePrincipalAsync;
                options.Events.OnRedirectToLogin = CookieEvents.RedirectToLoginAsync;
                options.Events.OnRedirectToAccessDenied = CookieEvents.RedirectToAccessDeniedAsync;
            })
            .AddOAuth<SpotifyOAuthOptions, OAuthHandler<SpotifyOAuthOptions>>(
                SpotifyAuthenticationDefaults.AuthenticationScheme, "Spotify", _ => { });
        // The handler's back channel (code exchange, /me) is counted like every other request to Spotify.
        services.AddHttpClient(SignInBackchannel).AddSpotifyRequestCounting();
        services.AddOptions<SpotifyOAuthOptions>(SpotifyAuthenticationDefaults.AuthenticationScheme)
            .Configure<SpotifySignInSettings, IHttpMessageHandlerFactory>((options, settings, handlers) =>
            {
                ConfigureSpotify(options, settings);
                options.BackchannelHttpHandler = handlers.CreateHandler(SignInBackchannel);
            });

        // Authorization
        services.AddAuthorizationBuilder()
            .AddPolicy(RecsPolicies.Admin, policy => policy.RequireAuthenticatedUser().AddRequirements(new AdminRequirement()));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, AdminAuthorizationHandler>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RecsRevalidatingAuthenticationStateProvider>();
        return builder;
    }

    private const string SignInBackchannel = "spotify-sign-in";

    private static void ConfigureSpotify(SpotifyOAuthOptions options, SpotifySignInSettings settings)
    {
        options.IsConfigured = settings.IsConfigured;
        options.ClientId = settings.ClientId;
        options.ClientSecret = settings.ClientSecret;
        options.AuthorizationEndpoint = settings.AuthorizationEndpoint;
        options.TokenEndpoint = settings.TokenEndpoint;
        options.UserInformationEndpoint = settings.UserInformationEndpoint;
        options.CallbackPath = AuthenticationPaths.SpotifyCallback;
        options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        options.UsePkce = true;
        options.Scope.Clear();
        foreach (var scope in SpotifyAuthenticationDefaults.Scopes)
        {
            options.Scope.Add(scope);
        }

        // Tokens live in the encrypted server-side store, not in the cookie.
        options.SaveTokens = false;
        // The callback arrives as a top-level GET from Spotify: Lax is enough, and SameSite=None would need HTTPS,
        // which the loopback redirect URI (http://127.0.0.1:PORT) does not have.
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Events.OnCreatingTicket = SpotifySignInEvents.CreatingTicketAsync;
        options.Events.OnAccessDenied = SpotifySignInEvents.AccessDeniedAsync;
        options.Events.OnRemoteFailure = SpotifySignInEvents.RemoteFailureAsync;
    }
}
