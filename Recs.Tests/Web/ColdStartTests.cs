using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Recs.Core;
using Recs.Core.Clustering;
using Recs.Core.Libraries;
using Recs.Core.Models;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Listener;
using Recs.Web.Api;
using Recs.Web.Libraries;

namespace Recs.Tests.Web;

/// <summary>Issue 13.1: right after a restart with an active model, listeners wait for the one load, never "no model".</summary>
public sealed class ColdStartTests
{
    private const int Users = 50;

    [Fact]
    public async Task FiftyConcurrentClusterRequestsRightAfterARestartAllSucceedAndTheModelLoadsOnce()
    {
        using var dataDir = new TempDirectory();
        await ListenerModelSeed.TrainAsync(dataDir.Path, trackCount: 400);
        var cookies = new string[Users];
        await using (var before = new RecsWebFactory(dataDir.Path).WithServices(TestSignIn.Register))
        {
            using var client = before.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            var libraries = before.Services.GetRequiredService<UserLibraryStore>();
            for (var i = 0; i < Users; i++)
            {
                var response = await client.GetAsync($"{TestSignIn.Path}?account=listener{i}");
                response.EnsureSuccessStatusCode();
                cookies[i] = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("recs.auth=", StringComparison.Ordinal)).Split(';')[0];
                await libraries.SaveAsync($"listener{i}", LibrarySource.Upload, LibraryBuilder.Tracks(catalog: 4 + (i % 5), predicted: 2));
            }
        }

        // The restart: the 50 requests are sent while the active model is being loaded. The registry has been read
        // and the load has begun; it is held until all 50 requests have asked for the model (on a real machine a load
        // takes seconds; here it could finish before the first request, or the requests could all come before the
        // registry read, and prove nothing).
        var gate = new LoadGate(Users);
        await using var restarted = new RecsWebFactory(dataDir.Path).WithServices(gate.Register);
        using var http = restarted.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        await gate.LoadStarted.WaitAsync(TimeSpan.FromMinutes(2)); // a bound, not a timing: the load starts as the host does
        var responses = await Task.WhenAll(cookies.Select(async cookie =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/clusters");
            request.Headers.Add("Cookie", cookie);
            request.Headers.Add(ClustersApi.CsrfHeader, "1");
            var response = await http.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        var active = restarted.Services.GetRequiredService<ActiveModel>();
        Assert.Equal(Users, gate.ArrivedWhileLoading);
        Assert.All(responses, r => Assert.True(r.StatusCode == HttpStatusCode.OK, $"{r.StatusCode}: {r.Body}"));
        Assert.All(responses, r => Assert.Equal(active.Current!.VersionId, JsonDocument.Parse(r.Body).RootElement.GetProperty("model_version").GetString()));
        Assert.Equal(1, active.Loads);
    }

    [Fact]
    public async Task ReadinessSaysStartingUntilTheActiveModelIsLoadedThenReady()
    {
        await using var factory = new RecsWebFactory();
        var models = new TestModels(new DataDirectoryDatabase(factory.DataDirectory).Migrate(), factory.DataDirectory);
        await models.Registry.ActivateAsync((await models.CreateVersionAsync(4)).Id);
        var health = new Recs.Web.ActiveModelHealthCheck(new DataDirectoryDatabase(factory.DataDirectory), new ActiveModel(new DataDirectoryDatabase(factory.DataDirectory)));

        // A process whose first look at the registry has not finished: not ready, and it says why.
        var starting = await health.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, starting.Status);
        Assert.Equal("starting: loading model", starting.Description);

        using var client = factory.CreateClient();
        var ready = await Readiness.WaitUntilReadyAsync(client);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("model").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task WhenTheActiveVersionCannotBeLoadedTheApiSaysSoInsteadOfAskingForATraining()
    {
        await using var factory = new ListenerWebFactory(realClusterer: true);
        var models = new TestModels(new DataDirectoryDatabase(factory.DataDirectory).Migrate(), factory.DataDirectory);
        var version = await models.CreateVersionAsync(4);
        await models.Registry.ActivateAsync(version.Id);
        await using (var db = new DataDirectoryDatabase(factory.DataDirectory).CreateDbContext())
        {
            foreach (var file in db.ModelVersionFiles.Where(f => f.VersionId == version.Id && f.Name == "cluster_model.json"))
            {
                file.Content = "{"u8.ToArray();
                file.Sha256 = ModelFileStore.Sha256(file.Content);
            }

            await db.SaveChangesAsync();
        }

        File.WriteAllText(Path.Combine(version.Directory, "cluster_model.json"), "{");
        var client = factory.ClientFor("alice");
        await factory.SaveLibraryAsync("alice", LibraryBuilder.Tracks(catalog: 3));

        var response = await client.PostAsync("/api/clusters", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("cannot be loaded", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("train and activate", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>
    /// Holds the active model's load (its first read of the version's stored files) until <c>requests</c> requests have
    /// asked the app's clusterer for the active model, so every one of them asks while the model is still loading.
    /// </summary>
    private sealed class LoadGate(int requests)
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _loadStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        /// <summary>
        /// How many asked for the active model while its load was held (after it, the listener cache's background work
        /// asks too: derivations and precomputations check the model they were queued for).
        /// </summary>
        public int ArrivedWhileLoading => Volatile.Read(ref _arrived);

        /// <summary>Completes when the load has read the registry and waits at the gate.</summary>
        public Task LoadStarted => _loadStarted.Task;

        public void Register(IServiceCollection services)
        {
            services.RemoveAll<IListenerClusterer>();
            services.AddSingleton<IListenerClusterer>(sp => new CountingClusterer(ActivatorUtilities.CreateInstance<ActiveModelClusterer>(sp), this));
            services.RemoveAll<ModelFileStore>();
            services.AddSingleton(sp => new ModelFileStore(
                new GatedFactory(sp.GetRequiredService<IDbContextFactory<RecsDbContext>>(), this), sp.GetRequiredService<IOptions<RecsOptions>>()));
        }

        private void Arrive()
        {
            if (_open.Task.IsCompleted)
            {
                return;
            }

            if (Interlocked.Increment(ref _arrived) >= requests)
            {
                _open.TrySetResult();
            }
        }

        /// <summary>The app's clusterer, counting the requests that ask it for the active model (the first thing a request asks).</summary>
        private sealed class CountingClusterer(IListenerClusterer inner, LoadGate gate) : IListenerClusterer
        {
            public Task<string?> GetActiveModelVersionAsync(CancellationToken cancellationToken)
            {
                gate.Arrive();
                return inner.GetActiveModelVersionAsync(cancellationToken);
            }

            public Task<ClusteringResult> ClusterAsync(IReadOnlyList<TrackMetadata> tracks, bool useRecsModel, CancellationToken cancellationToken)
                => inner.ClusterAsync(tracks, useRecsModel, cancellationToken);
        }

        private sealed class GatedFactory(IDbContextFactory<RecsDbContext> inner, LoadGate gate) : IDbContextFactory<RecsDbContext>
        {
            public RecsDbContext CreateDbContext()
            {
                gate._loadStarted.TrySetResult();
                gate._open.Task.GetAwaiter().GetResult();
                return inner.CreateDbContext();
            }

            public async Task<RecsDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
            {
                gate._loadStarted.TrySetResult();
                await gate._open.Task.WaitAsync(cancellationToken);
                return await inner.CreateDbContextAsync(cancellationToken);
            }
        }
    }
}
