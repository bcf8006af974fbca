using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Recs.Web.Authentication;

namespace Recs.Tests.TestSupport;

/// <summary>
/// Signs a test user in with the app's real cookie scheme, as if they had come back from Spotify: their (fake) tokens
/// are stored so the cookie validation accepts the session. <c>GET /test-support/sign-in?account=ID</c>; add it with
/// <c>factory.WithServices(TestSignIn.Register)</c>. Authorization (the Admin policy) stays entirely the app's own.
/// </summary>
public static class TestSignIn
{
    public const string Path = "/test-support/sign-in";

    public static void Register(IServiceCollection services) => services.AddSingleton<IStartupFilter, Filter>();

    private sealed class Filter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Not app.Map: that would move the path base and so the cookie's path.
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path != Path)
                {
                    await nextMiddleware(context);
                    return;
                }

                var account = context.Request.Query["account"].ToString();
                await context.RequestServices.GetRequiredService<UserAccountStore>()
                    .RecordSignInAsync(account, account, "Test " + account, null, isDemo: false, context.RequestAborted);
                var tokens = context.RequestServices.GetRequiredService<UserTokenStore>();
                await tokens.SaveAsync(account, "test-access-" + account, "test-refresh-" + account, DateTimeOffset.UtcNow.AddHours(1), "user-library-read", DateTimeOffset.UtcNow);
                var identity = new ClaimsIdentity(
                    [new Claim(RecsClaimTypes.AccountId, account), new Claim(RecsClaimTypes.DisplayName, "Test " + account)],
                    CookieAuthenticationDefaults.AuthenticationScheme);
                await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                context.Response.StatusCode = StatusCodes.Status204NoContent;
            });
            next(app);
        };
    }

    /// <summary>A client that keeps cookies and does not follow redirects, signed in as <paramref name="account"/> (null: anonymous).</summary>
    public static async Task<HttpClient> ClientAsync(RecsWebFactory factory, string? account)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (account is not null)
        {
            var response = await client.GetAsync($"{Path}?account={Uri.EscapeDataString(account)}");
            response.EnsureSuccessStatusCode();
        }

        return client;
    }
}
