using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Models;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Listener;
using Recs.Tests.TestSupport.MultiInstance;
using Recs.Tests.TestSupport.Postgres;
using Recs.Web.Demo;

namespace Recs.Tests.Web.MultiInstance;

/// <summary>
/// Issue 14 with real parts: two Recs hosts on Kestrel against one PostgreSQL database, each with its own data directory.
/// </summary>
public sealed class TwoInstancesTests
{
    /// <summary>Activation on one instance must be served by the other within this (issue 14).</summary>
    private static readonly TimeSpan ActivationDeadline = TimeSpan.FromSeconds(5);

    [PostgresFact]
    public async Task ADemoSignInCookieIssuedByOneInstanceIsAcceptedByTheOther()
    {
        await using var recs = await RecsInstances.StartAsync(2);
        var cookie = await recs[0].SignInAsDemoAsync();
        using var b = recs[1].Client();

        using var anonymous = await b.GetAsync("/authentication/me");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/authentication/me");
        request.Headers.Add("Cookie", cookie);
        using var me = await b.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var user = JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement;
        Assert.True(user.GetProperty("is_demo").GetBoolean());
    }

    [PostgresFact]
    public async Task AModelTrainedByTheCliIsServedByBothAndAnActivationOrRollbackOnOneIsServedByTheOtherWithinFiveSeconds()
    {
        await using var recs = await RecsInstances.StartAsync(2);
        Assert.Null(await ModelVersionOfAsync(recs[0]));

        // The CLI on a machine of its own: its data directory is gone once it has trained.
        string trained;
        using (var cliDir = new TempDirectory())
        {
            await ListenerModelSeed.TrainAsync(cliDir.Path, trackCount: 300, k: 3, new Dictionary<string, string>
            {
                ["Recs:Database:Provider"] = "postgres",
                ["ConnectionStrings:Recs"] = recs.Database.ConnectionString,
            });
            await using var db = recs.CreateDbContext();
            trained = (await db.ModelVersions.SingleAsync(v => v.IsActive)).Id;
        }

        Assert.True(await ServedWithinAsync(recs[0], trained, TimeSpan.FromSeconds(30)), "instance A serves the CLI's model");
        Assert.True(await ServedWithinAsync(recs[1], trained, TimeSpan.FromSeconds(30)), "instance B serves the CLI's model");
        foreach (var instance in recs.Instances)
        {
            // Loaded from the database: each instance has its own copy of every stored file.
            Assert.True(File.Exists(Path.Combine(instance.DataDirectory, "models", trained, "cluster_model.json")));
            Assert.True(File.Exists(Path.Combine(instance.DataDirectory, "models", trained, "metadata_model_tempo.zip")));
        }

        // A second version, activated through instance A's registry (what /admin/api/models/{id}/activate calls).
        var other = await new TestModels(recs[0].Services.GetRequiredService<IDbContextFactory<RecsDbContext>>(), recs[0].DataDirectory).CreateVersionAsync(5);
        await recs[0].Services.GetRequiredService<ModelRegistry>().ActivateAsync(other.Id);
        Assert.Equal(other.Id, await ModelVersionOfAsync(recs[0]));
        Assert.True(await ServedWithinAsync(recs[1], other.Id, ActivationDeadline), $"instance B serves {other.Id} within 5 s of its activation on A");
        Assert.Equal(5, recs[1].Services.GetRequiredService<ActiveModel>().Current!.Clusters.K);

        await recs[1].Services.GetRequiredService<ModelRegistry>().RollbackAsync();
        Assert.True(await ServedWithinAsync(recs[0], trained, ActivationDeadline), $"instance A serves {trained} within 5 s of the rollback on B");
    }

    [PostgresFact]
    public async Task TwoInstancesStartingTogetherOnAnEmptyDatabaseSeedTheDemoOnce()
    {
        await using var recs = await RecsInstances.StartAsync(2, f => f
            .With("Recs:SeedDemo", "true")
            .With("Demo:Tracks", "300")
            .With("Demo:Trees", "10"));

        var deadline = Stopwatch.StartNew();
        string?[] served = [null, null];
        while (deadline.Elapsed < TimeSpan.FromMinutes(3) && (served[0] is null || served[0] != served[1]))
        {
            served = [await ModelVersionOfAsync(recs[0]), await ModelVersionOfAsync(recs[1])];
            await Task.Delay(200);
        }

        Assert.NotNull(served[0]);
        Assert.Equal(served[0], served[1]);
        await using var db = recs.CreateDbContext();
        Assert.Equal(300, await db.CatalogTracks.CountAsync());
        Assert.Equal(1, await db.ModelVersions.CountAsync());
        var states = recs.Instances.Select(i => i.Services.GetRequiredService<DemoSeedingState>()).ToList();
        Assert.All(states, s => Assert.Equal(DemoSeedingStatus.DemoReady, s.Status));
        Assert.Single(states, s => s.Message.StartsWith("demo model", StringComparison.Ordinal)); // the one that trained
    }

    /// <summary>The version the instance's <c>/health</c> reports as served (null: none).</summary>
    private static async Task<string?> ModelVersionOfAsync(RecsInstance instance)
    {
        using var http = instance.Client();
        using var response = await http.GetAsync("/health"); // 503 while starting: same body
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("checks").GetProperty("model").GetProperty("data").TryGetProperty("model_version", out var v) ? v.GetString() : null;
    }

    private static async Task<bool> ServedWithinAsync(RecsInstance instance, string version, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (await ModelVersionOfAsync(instance) == version)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
