using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Recs.Core;
using Recs.Core.Libraries;
using Recs.Core.Persistence;
using Recs.Core.Spotify;
using Recs.Web.Authentication;
using Recs.Web.Libraries;

namespace Recs.Tests.TestSupport.Listener;

/// <summary>
/// bUnit context for the listener pages: MudBlazor, a real <see cref="UserLibraryStore"/> on an in-memory database,
/// the real <see cref="LibraryService"/> over a <see cref="FakeListenerClusterer"/>, fakes for Spotify, the demo and
/// similar tracks, and a signed-in user "alice".
/// </summary>
public abstract class ListenerComponentContext : BunitContext, IAsyncLifetime
{
    private bool _disposedAsync;

    protected ListenerComponentContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IDbContextFactory<RecsDbContext>>(Database);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton(Options.Create(ListenerOptions));
        Services.AddSingleton<UserLibraryStore>();
        Services.AddSingleton<IListenerClusterer>(Clusterer);
        Services.AddSingleton<Recs.Core.Catalog.CatalogRevision>(); // part of the clustering cache key (the catalog feature registers it in the app)
        Services.AddSingleton<LibraryService>();
        Services.AddSingleton<IListenerSpotify>(Spotify);
        Services.AddSingleton<IDemoLibrarySource>(Demo);
        Services.AddSingleton<ISimilarTracksSource>(Similar);
        // The real lookup over the test database with no service configured: answers from the catalog only.
        Services.AddSingleton(Options.Create(new Recs.Core.FeatureServices.FeatureServiceOptions { Provider = "none" }));
        Services.AddSingleton<Recs.Core.FeatureServices.IKnownFeatureLookup, Recs.Core.FeatureServices.KnownFeatureLookup>();
        Services.AddSingleton<Recs.Core.FeatureServices.CatalogContributions>();
        Services.AddSingleton<LibrarySources>();
        Auth = AddAuthorization();
        SignIn("alice");
    }

    protected TestDatabase Database { get; } = new();
    protected FakeListenerClusterer Clusterer { get; } = new();
    protected ListenerOptions ListenerOptions { get; } = new();
    protected FakeListenerSpotify Spotify { get; } = new();
    protected FakeDemoLibrary Demo { get; } = new();
    protected FakeSimilarTracks Similar { get; } = new();
    protected BunitAuthorizationContext Auth { get; }

    protected UserLibraryStore Store => Services.GetRequiredService<UserLibraryStore>();

    protected void SignIn(string accountId, bool demo = false)
    {
        Auth.SetAuthorized(accountId);
        var claims = new List<Claim> { new(RecsClaimTypes.AccountId, accountId) };
        if (demo)
        {
            claims.Add(new Claim(RecsClaimTypes.Demo, "true"));
        }

        Auth.SetClaims([.. claims]);
    }

    protected Task SaveLibraryAsync(IReadOnlyList<TrackMetadata> tracks, string user = "alice")
        => Store.SaveAsync(user, LibrarySource.Upload, tracks, fileName: "liked.csv");

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that can only be disposed asynchronously: xunit calls this before Dispose.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        _disposedAsync = true;
        Database.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposedAsync)
        {
            base.Dispose(disposing);
        }
    }
}

/// <summary>Records what the listener asked of Spotify.</summary>
public sealed class FakeListenerSpotify : IListenerSpotify
{
    public IReadOnlyList<TrackMetadata> Library { get; set; } = LibraryBuilder.Tracks(catalog: 4, predicted: 2);
    public List<(string Name, IReadOnlyList<string?> Ids)> Playlists { get; } = [];

    /// <summary>When set, the fetch waits for it after reporting half the tracks.</summary>
    public Task? Gate { get; set; }

    public async Task<IReadOnlyList<TrackMetadata>> FetchLibraryAsync(ClaimsPrincipal user, IProgress<LibraryFetchProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new LibraryFetchProgress("tracks", Library.Count / 2, Library.Count));
        if (Gate is not null)
        {
            await Gate;
        }

        progress?.Report(new LibraryFetchProgress("tracks", Library.Count, Library.Count));
        return Library;
    }

    public Task<PlaylistSaved> CreatePlaylistAsync(ClaimsPrincipal user, string name, string? description, IReadOnlyList<string?> trackIds, CancellationToken cancellationToken)
    {
        Playlists.Add((name, trackIds));
        var added = trackIds.Count(id => !string.IsNullOrEmpty(id));
        return Task.FromResult(new PlaylistSaved("pl1", "https://open.spotify.com/playlist/pl1", added, trackIds.Count - added));
    }
}

public sealed class FakeDemoLibrary : IDemoLibrarySource
{
    public IReadOnlyList<TrackMetadata>? Tracks { get; set; } = LibraryBuilder.Tracks(catalog: 12, predicted: 4);

    public Task<IReadOnlyList<TrackMetadata>?> GenerateAsync(CancellationToken cancellationToken) => Task.FromResult(Tracks);
}

public sealed class FakeSimilarTracks : ISimilarTracksSource
{
    public bool Available { get; set; } = true;

    public Task<IReadOnlyList<SimilarTrack>?> FindAsync(AudioFeatures features, string? excludeId, int count, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<SimilarTrack>?>(Available
            ? [new SimilarTrack("sim1", "Near neighbour", ["Someone"], features with { Energy = 0.42 }, 0.1)]
            : null);
}
