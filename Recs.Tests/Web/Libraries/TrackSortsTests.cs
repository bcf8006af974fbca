using Recs.Web.Libraries;

namespace Recs.Tests.Web.Libraries;

public sealed class TrackSortsTests
{
    [Fact]
    public void ClickingOneHeaderThenAnotherSortsByBothInThatOrder()
    {
        var sorts = TrackSorts.None.Toggle("tempo").Toggle("energy");

        Assert.Equal("tempo,energy", sorts.ToString());
    }

    [Fact]
    public void ASecondClickReversesAKeyInPlaceAndAThirdRemovesIt()
    {
        var sorts = TrackSorts.None.Toggle("tempo").Toggle("energy");

        Assert.Equal("-tempo,energy", sorts.Toggle("tempo").ToString());
        Assert.Equal("energy", sorts.Toggle("tempo").Toggle("tempo").ToString());
        Assert.Equal("tempo", sorts.Without("energy").ToString());
    }

    [Theory]
    [InlineData("tempo,-energy", "tempo,-energy")]
    [InlineData(" BPM , -Energy ", "tempo,-energy")]
    [InlineData("tempo,nonsense,-tempo,valence", "tempo,valence")]
    [InlineData("", "")]
    public void TheUrlFormReadsBackCanonicalWithUnknownAndRepeatedColumnsDropped(string text, string expected)
    {
        Assert.True(TrackSorts.TryParse(text, null, out var sorts));

        Assert.Equal(expected, sorts.ToString());
        Assert.Equal(sorts, TrackSorts.Parse(sorts.ToString()));
    }

    [Fact]
    public void AQueryReadsBackFromItsOwnQueryString()
    {
        var query = new TrackQuery
        {
            BpmMin = 80.5, BpmMax = 140, HalfDouble = true, EnergyMin = 0.25, DanceabilityMax = 0.9, ValenceMin = 0.1,
            Search = "café & co", Sort = [new TrackSort("tempo"), new TrackSort("energy", true)],
        };

        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query.ToQueryString());

        Assert.Equal("80.5", parameters["bpm_min"]);
        Assert.Equal("true", parameters["half_double"]);
        Assert.Equal("café & co", parameters["search"]);
        Assert.Equal("tempo,-energy", parameters["sort"]);
        Assert.Equal("0.9", parameters["danceability_max"]);
        Assert.False(parameters.ContainsKey("energy_max"));
    }
}
