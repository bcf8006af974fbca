using Recs.Core;
using Recs.Core.Libraries;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Listener;

namespace Recs.Tests.Core.Libraries;

public sealed class UserLibraryStoreTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly UserLibraryStore _store;

    public UserLibraryStoreTests() => _store = new UserLibraryStore(_db, TimeProvider.System);

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task AStoredLibraryComesBackTrackForTrackInOrder()
    {
        var tracks = LibraryBuilder.Tracks(catalog: 3, predicted: 2, local: 1);

        var summary = await _store.SaveAsync("alice", LibrarySource.Upload, tracks, rejectedRows: 2, fileName: "/tmp/x/liked.csv");
        var loaded = await _store.LoadTracksAsync("alice");

        Assert.Equal(6, summary.TrackCount);
        Assert.Equal(1, summary.LocalFiles);
        Assert.Equal(2, summary.RejectedRows);
        Assert.Equal("liked.csv", summary.FileName);
        Assert.True(summary.HasAudioFeatures);
        Assert.Equal(tracks.Select(t => t.Name), loaded.Select(t => t.Name));
        Assert.Equal(tracks[0].Artists, loaded[0].Artists);
        Assert.Equal(tracks[0].Genres, loaded[0].Genres);
        Assert.Equal(tracks[0].KnownFeatures, loaded[0].KnownFeatures);
        Assert.Null(loaded[3].KnownFeatures);
        Assert.True(loaded[5].IsLocal);
        Assert.Null(loaded[5].Id);
    }

    [Fact]
    public async Task SavingAgainReplacesTheLibraryAndChangesItsVersion()
    {
        var first = await _store.SaveAsync("alice", LibrarySource.Demo, LibraryBuilder.Tracks(5));
        var second = await _store.SaveAsync("alice", LibrarySource.Spotify, LibraryBuilder.Tracks(2));

        Assert.NotEqual(first.Version, second.Version);
        Assert.Equal(LibrarySource.Spotify, (await _store.GetSummaryAsync("alice"))!.Source);
        Assert.Equal(2, (await _store.LoadTracksAsync("alice")).Count);
    }

    [Fact]
    public async Task EachUserSeesOnlyTheirOwnLibrary()
    {
        await _store.SaveAsync("alice", LibrarySource.Demo, LibraryBuilder.Tracks(5));
        await _store.SaveAsync("bob", LibrarySource.Demo, LibraryBuilder.Tracks(1));

        Assert.Equal(5, (await _store.LoadTracksAsync("alice")).Count);
        Assert.Single(await _store.LoadTracksAsync("bob"));
        Assert.Null(await _store.GetSummaryAsync("carol"));
        Assert.Empty(await _store.LoadTracksAsync("carol"));
    }

    [Fact]
    public async Task UseRecsModelIsOnByDefaultAndRemembered()
    {
        Assert.True(await _store.GetUseRecsModelAsync("alice"));

        await _store.SetUseRecsModelAsync("alice", false);
        Assert.False(await _store.GetUseRecsModelAsync("alice"));
        Assert.True(await _store.GetUseRecsModelAsync("bob"));

        await _store.SetUseRecsModelAsync("alice", true);
        Assert.True(await _store.GetUseRecsModelAsync("alice"));
    }
}
