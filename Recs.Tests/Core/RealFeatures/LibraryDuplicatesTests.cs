using Recs.Core;
using Recs.Core.RealFeatures;

namespace Recs.Tests.Core.RealFeatures;

public sealed class LibraryDuplicatesTests
{
    [Fact]
    public void RowsOfOneTrackAreMergedIntoTheFirstWhichLaterRowsOnlyFill()
    {
        var features = new AudioFeatures(128, 0.8, 0.7, 0.6, -5);
        TrackMetadata[] rows =
        [
            new() { Id = "a", Name = "A", Artists = ["x"] },
            new() { Id = "b", Name = "B", Artists = ["y"], Popularity = 10 },
            new() { Id = "a", Name = "A (other playlist)", Artists = ["x"], KnownFeatures = features, Popularity = 40, Genres = ["pop"] },
            new() { Id = null, Name = "Local", IsLocal = true },
            new() { Id = null, Name = "Local", IsLocal = true },
            new() { Id = "b", Name = "B", Artists = ["y"], Popularity = 99 },
        ];

        var merged = LibraryDuplicates.Merge(rows);

        Assert.Equal(2, merged.DuplicatesMerged);
        Assert.Equal(["A", "B", "Local", "Local"], merged.Tracks.Select(t => t.Name));
        Assert.Equal((features, 40, "pop"), (merged.Tracks[0].KnownFeatures!.Value, merged.Tracks[0].Popularity!.Value, merged.Tracks[0].Genres.Single()));
        Assert.Equal(10, merged.Tracks[1].Popularity); // the first row wins where it has a value
    }

    [Fact]
    public void TenThousandRowsOfNineThousandOneHundredSeventeenTracksStoreThatMany()
    {
        var rows = Enumerable.Range(0, 10_000).Select(i => new TrackMetadata { Id = $"t{i % 9_117}", Name = $"song {i % 9_117}" }).ToList();

        var merged = LibraryDuplicates.Merge(rows);

        Assert.Equal(9_117, merged.Tracks.Count);
        Assert.Equal(883, merged.DuplicatesMerged);
        Assert.Equal(rows.Take(9_117).Select(r => r.Id), merged.Tracks.Select(t => t.Id));
    }

    [Fact]
    public void ALibraryWithoutRepeatsIsReturnedAsItIs()
    {
        TrackMetadata[] rows = [new() { Id = "a" }, new() { Id = "b" }];

        var merged = LibraryDuplicates.Merge(rows);

        Assert.Same(rows, merged.Tracks);
        Assert.Equal(0, merged.DuplicatesMerged);
    }
}
