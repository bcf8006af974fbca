using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recs.Core.Catalog;
using Recs.Core.FeatureServices;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.FeatureServices;

public class CacheOnlyLookupTests
{
    [Fact]
    public async Task Provider_none_answers_from_the_catalog_only()
    {
        using var database = new TestDatabase();
        await using (var db = database.CreateDbContext())
        {
            db.CatalogTracks.Add(new CatalogTrack { Id = "known", Tempo = 120, Energy = 0.5, Danceability = 0.6, Valence = 0.7, Loudness = -6, Source = CatalogSources.Kaggle });
            await db.SaveChangesAsync();
        }

        var lookup = new KnownFeatureLookup(database, Options.Create(new FeatureServiceOptions { Provider = "none" }), NullLogger<KnownFeatureLookup>.Instance);
        var result = await lookup.LookupAsync(["known", "unknown", "known", ""], CancellationToken.None);

        Assert.Equal((1, 0, 1, 0, (DateTimeOffset?)null), (result.FromCache, result.FromService, result.Misses, result.Requests, result.ThrottledUntil));
        Assert.Equal(new Recs.Core.AudioFeatures(120, 0.5, 0.6, 0.7, -6), result.Found["known"]);
        Assert.False(result.Found.ContainsKey("unknown"));
    }
}
