using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recs.Core.Libraries;
using Recs.Web.Libraries;

namespace Recs.Tests.TestSupport.Listener;

/// <summary>
/// The real app with a <see cref="FakeListenerClusterer"/> and a test sign-in: a request carrying
/// <c>X-Test-User: name</c> is authenticated as that user the way a session cookie would authenticate it
/// (no Authorization header), so the API's cookie rules apply.
/// </summary>
public sealed class ListenerWebFactory : RecsWebFactory
{
    public const string UserHeader = "X-Test-User";

    private readonly bool _realClusterer;

    /// <summary>The app with the fake clusterer, or with <paramref name="realClusterer"/> the app's own (the active model).</summary>
    public ListenerWebFactory(bool realClusterer = false) => _realClusterer = realClusterer;

    public FakeListenerClusterer Clusterer { get; } = new();

    /// <summary>Stores <paramref name="tracks"/> as <paramref name="userId"/>'s library.</summary>
    public Task SaveLibraryAsync(string userId, IReadOnlyList<Recs.Core.TrackMetadata> tracks, LibrarySource source = LibrarySource.Upload)
        => Services.GetRequiredService<UserLibraryStore>().SaveAsync(userId, source, tracks);

    /// <summary>A client signed in as <paramref name="userId"/> (null: anonymous) that sends the anti-forgery header.</summary>
    public HttpClient ClientFor(string? userId, bool withCsrfHeader = true)
    {
        var client = CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (userId is not null)
        {
            client.DefaultRequestHeaders.Add(UserHeader, userId);
        }

        if (withCsrfHeader)
        {
            client.DefaultRequestHeaders.Add(Recs.Web.Api.ClustersApi.CsrfHeader, "1");
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            if (!_realClusterer)
            {
                services.RemoveAll<IListenerClusterer>();
                services.AddSingleton<IListenerClusterer>(Clusterer);
            }

            services.AddAuthentication(TestAuthHandler.Name)
                .AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.Name, _ => { });
            services.PostConfigure<AuthenticationOptions>(o =>
            {
                o.DefaultScheme = TestAuthHandler.Name;
                o.DefaultAuthenticateScheme = TestAuthHandler.Name;
                o.DefaultChallengeScheme = TestAuthHandler.Name;
            });
        });
    }

    private sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "Test";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var user = Request.Headers[UserHeader].ToString();
            if (string.IsNullOrEmpty(user))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user), new Claim(ClaimTypes.Name, user)], Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
        }
    }
}
