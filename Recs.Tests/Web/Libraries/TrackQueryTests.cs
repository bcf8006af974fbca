using Recs.Core;
using Recs.Web.Libraries;

namespace Recs.Tests.Web.Libraries;

public sealed class TrackQueryTests
{
    private static TrackRow Row(int index, double tempo, double energy, string name = "x")
        => new(index, $"id{index}", name, "artist", tempo, energy, 0.5, 0.5, -6, FeatureSource.Catalog, null);

    [Fact]
    public void ABpmRangeKeepsOnlyTracksInsideIt()
    {
        var rows = new[] { Row(0, 85, 0.1), Row(1, 120, 0.2), Row(2, 170, 0.3), Row(3, 0, 0.4) };

        var kept = new TrackQuery { BpmMin = 160, BpmMax = 180 }.Apply(rows);

        Assert.Equal([2], kept.Select(r => r.Index));
    }

    [Fact]
    public void HalfAndDoubleTempoAlsoKeepsTracksAtHalfOrTwiceTheRange()
    {
        var rows = new[] { Row(0, 85, 0.1), Row(1, 120, 0.2), Row(2, 170, 0.3), Row(3, 0, 0.4) };

        var kept = new TrackQuery { BpmMin = 160, BpmMax = 180, HalfDouble = true }.Apply(rows);

        Assert.Equal([0, 2], kept.Select(r => r.Index));
    }

    [Fact]
    public void SortingBySeveralKeysUsesTheSecondToBreakTies()
    {
        var rows = new[] { Row(0, 120, 0.2), Row(1, 100, 0.9), Row(2, 120, 0.8), Row(3, 100, 0.1) };

        var sorted = new TrackQuery { Sort = [new TrackSort("Tempo"), new TrackSort("Energy", Descending: true)] }.Apply(rows);

        Assert.Equal([1, 3, 2, 0], sorted.Select(r => r.Index));
    }

    [Fact]
    public void SearchMatchesNameOrArtistIgnoringCase()
    {
        var rows = new[] { Row(0, 120, 0.2, "Run Fast"), Row(1, 100, 0.9, "Sleep") };

        Assert.Equal([0], new TrackQuery { Search = "run" }.Apply(rows).Select(r => r.Index));
        Assert.Equal(2, new TrackQuery { Search = "ARTIST" }.Apply(rows).Count);
    }

    [Fact]
    public void RangesOnOtherFeaturesCombineWithTheBpmRange()
    {
        var rows = new[] { Row(0, 120, 0.2), Row(1, 125, 0.9), Row(2, 200, 0.9) };

        var kept = new TrackQuery { BpmMin = 110, BpmMax = 130, EnergyMin = 0.5 }.Apply(rows);

        Assert.Equal([1], kept.Select(r => r.Index));
    }

    [Theory]
    [InlineData(FeatureSource.File)]
    [InlineData(FeatureSource.Catalog)]
    [InlineData(FeatureSource.Service)]
    [InlineData(FeatureSource.Predicted)]
    public void ASourceFilterKeepsOnlyThatSourceAndIsWrittenByItsWireName(FeatureSource source)
    {
        var rows = FeatureSources.All.Select((s, i) => Row(i, 120, 0.5) with { Source = s }).ToList();
        var query = new TrackQuery().WithSource(source);

        Assert.Equal([source], query.Apply(rows).Select(r => r.Source));
        Assert.Equal(FeatureSources.Name(source), query.SourceName);
        Assert.Equal("source=" + FeatureSources.Name(source), query.ToQueryString());
        Assert.True(query.IsFiltered);
        Assert.Null(query.WithSource(null).Source);
        Assert.False(query.WithSource(null).IsFiltered);
    }

    [Fact]
    public void AnyCaseOfAWireNameFiltersAndAnythingElseIsInvalid()
    {
        var attribute = new FeatureSourceNameAttribute();

        Assert.Equal(FeatureSource.Service, new TrackQuery { SourceName = "Service" }.Source);
        Assert.True(attribute.IsValid(null));
        Assert.True(attribute.IsValid("PREDICTED"));
        Assert.False(attribute.IsValid("spotify"));
        Assert.False(attribute.IsValid("2"));
    }
}
