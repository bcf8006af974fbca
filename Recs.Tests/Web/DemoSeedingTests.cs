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
    public async Task WithSeedingOffAnEmptyCatalogStaysEmptyAndTheHomePageSaysSo()
    {
        using var factory = new RecsWebFactory();
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.Contains("data-state=\"empty\"", html);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.CatalogTracks.CountAsync());
    }
}
