using MudBlazor.Services;
using Recs.Core.Models;
using Recs.Core.Persistence;
using Recs.Web.Api;
using Recs.Web.Authentication;
using Recs.Web.Components;
using Recs.Web.Demo;
using Recs.Web.Jobs;
using Recs.Web.Libraries;

namespace Recs.Web;

/// <summary>
/// The web app, built and wired in one place: <c>Program</c> runs it, and <c>bench --circuits</c> starts the same app
/// in-process on Kestrel to measure what open pages cost (issue 15).
/// </summary>
public static class RecsWebApp
{
    /// <summary>Builds the app (services, configuration) from command-line arguments, then lets <paramref name="configure"/> adjust it.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(RecsCommandLine.MapDataDirectory(args));
        builder.Configuration.AddRecsRootSettings();
        builder.UseLocalListenAddressByDefault();
        // `dotnet run` has no launch profile (its messages would corrupt --json output): serve the build's static web
        // assets (MudBlazor, blazor.web.js) in every environment; a no-op for publish output.
        builder.WebHost.UseStaticWebAssets();

        // Shared with the CLI
        builder.AddRecsServices();

        // Web host
        builder.AddRecsHealthChecks();
        builder.AddActiveModelPolling();
        builder.AddRecsAuthentication();
        builder.AddDemoSeeding();
        builder.AddRecsJobs();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.AddListener();
        builder.Services.AddOpenApi();
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>Migrates the database and maps the middleware and endpoints.</summary>
    public static async Task PrepareAsync(WebApplication app)
    {
        await app.Services.MigrateRecsDatabaseAsync();

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseListenerApi();
        app.UseApiProblems("/admin/api");
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRecsHealthChecks();
        app.MapAuthenticationEndpoints();
        app.MapAdminApi();
        app.MapOpenApi();
        app.MapClustersApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
