using Microsoft.Extensions.Logging.Abstractions;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.FeatureServices;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Postgres;

namespace Recs.Tests.Core.Catalog;

/// <summary>
/// The catalog's revision (what a listener's cached clustering is keyed by, besides the library and the model) changes
/// with every write that adds or changes catalog tracks, and only then, on both providers.
/// </summary>
public sealed class CatalogRevisionTests
{
    private static readonly string A = CatalogCsv.Id(1), B = CatalogCsv.Id(2);

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AnImportThatChangesTracksIsANewRevisionAndOneThatChangesNothingIsNot(string provider)
    {
        using var db = new TestDatabase(provider);
        var revision = new CatalogRevision(db);
        var importer = CatalogCsv.Importer(db);
        var empty = await revision.ReadAsync();

        await importer.ImportAsync(new CatalogCsv().Row(A).ToStream(), "one.csv");
        var first = await revision.ReadAsync();
        await importer.ImportAsync(new CatalogCsv().Row(A).ToStream(), "one.csv");
        var unchanged = await revision.ReadAsync();
        await importer.ImportAsync(new CatalogCsv().Row(A, "pop", ("tempo", "99")).ToStream(), "one.csv");
        var updated = await revision.ReadAsync();
        await importer.ImportAsync(new CatalogCsv().Row(A, "pop", ("tempo", "99")).Row(B).ToStream(), "two.csv");
        var added = await revision.ReadAsync();

        Assert.Equal("", empty);
        Assert.NotEqual(empty, first);
        Assert.Equal(first, unchanged);
        Assert.NotEqual(first, updated);
        Assert.NotEqual(updated, added);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AnUploadsFeaturesAreANewRevisionOnlyWhenTheyAddTracks(string provider)
    {
        using var database = new TestDatabase(provider);
        var revision = new CatalogRevision(database);
        var contributions = new CatalogContributions(database, TimeProvider.System, NullLogger<CatalogContributions>.Instance);
        TrackMetadata[] tracks = [new() { Id = A, Name = "A", Artists = ["Artist"], KnownFeatures = new AudioFeatures(120, 0.5, 0.6, 0.7, -5) }];

        await contributions.ContributeUploadAsync(tracks, CancellationToken.None);
        var first = await revision.ReadAsync();
        await contributions.ContributeUploadAsync(tracks, CancellationToken.None); // known already: nothing added
        var again = await revision.ReadAsync();
        await contributions.ContributeUploadAsync([tracks[0] with { Id = B }], CancellationToken.None);
        var another = await revision.ReadAsync();

        Assert.NotEqual("", first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, another);
    }
}
