using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Catalog;
using Recs.Core.Models;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;
using Recs.Web.Demo;

namespace Recs.Tests.Web;

public sealed class DemoSeedingTests
{
    [Fact]
    public async Task AnEmptyCatalogGetsTheDemoCatalogAndADemoModelInTheBackground()
    {
        using var factory = new RecsWebFactory().With("Recs:SeedDemo", "true").With("Demo:Tracks", "1200").With("Demo:Trees", "40");
        using var client = factory.CreateClient();
        var state = factory.Services.GetRequiredService<DemoSeedingState>();
        var done = new TaskCompletionSource();
        state.Changed += () =>
        {
            if (state.Status is DemoSeedingStatus.DemoReady or DemoSeedingStatus.Failed)
            {
                done.TrySetResult();
            }
        };
        if (state.Status is DemoSeedingStatus.DemoReady or DemoSeedingStatus.Failed)
        {
            done.TrySetResult();
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));

        Assert.True(state.Status == DemoSeedingStatus.DemoReady, $"{state.Status}: {state.Message}");
        var model = await factory.Services.GetRequiredService<ActiveModel>().GetAsync();
        Assert.NotNull(model);
        Assert.True(model.Version.IsDemo);
        Assert.NotNull(model.Predictor);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync();
        Assert.Equal(1200, await db.CatalogTracks.CountAsync(t => t.Source == CatalogSources.Demo));
        Assert.True(await db.Artists.AnyAsync(a => a.Source == ArtistSources.Demo));
    }

    [Fact]
    public async Task WithSeedingOffAnEmptyCatalogStaysEmptyAndTheHomePageSaysSoToAdminsOnly()
    {
        using var factory = new RecsWebFactory().With("Recs:Admins:0", "boss").WithServices(TestSignIn.Register);
        using var anonymous = await TestSignIn.ClientAsync(factory, null);
        using var listener = await TestSignIn.ClientAsync(factory, "listener");
        using var admin = await TestSignIn.ClientAsync(factory, "boss");

        var visitorHome = await anonymous.GetStringAsync("/");
        var listenerHome = await listener.GetStringAsync("/");
        var adminHome = await admin.GetStringAsync("/");

        // Home leads a visitor to sign in and a listener to their library; the system state is for admins (issue 13.8).
        Assert.Contains("data-next=\"sign-in\"", visitorHome);
        Assert.DoesNotContain("data-testid=\"app-state\"", visitorHome);
        Assert.Contains("data-next=\"library\"", listenerHome);
        Assert.DoesNotContain("data-testid=\"app-state\"", listenerHome);
        Assert.Contains("data-state=\"empty\"", adminHome);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.CatalogTracks.CountAsync());
    }
}
