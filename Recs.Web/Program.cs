using Recs.Core.Models;
using Recs.Core.Persistence;
using Recs.Web;
using Recs.Web.Authentication;
using Recs.Web.Cli;
using MudBlazor.Services;
using Recs.Web.Components;
using Recs.Web.Api;
using Recs.Web.Libraries;
using Recs.Web.Demo;
using Recs.Web.Jobs;

if (CliRunner.IsVerb(args))
{
    return await CliRunner.RunAsync(args);
}

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

var app = builder.Build();
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

await app.RunAsync();
return 0;
