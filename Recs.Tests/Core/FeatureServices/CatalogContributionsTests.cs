using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Recs.Core;
using Recs.Core.Catalog;
using Recs.Core.FeatureServices;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.FeatureServices;

public class CatalogContributionsTests
{
    private static readonly string IdA = "4uLU6hMCjMI75M1A2tKUQC";
    private static readonly string IdB = "7ouMYWpwJ422jRcDASZB7P";

    [Fact]
    public async Task Uploaded_features_join_the_catalog_as_source_file_once_per_track_and_without_who()
    {
        using var database = new TestDatabase();
        var contributions = new CatalogContributions(database, TimeProvider.System, NullLogger<CatalogContributions>.Instance);
        TrackMetadata[] tracks =
        [
            new() { Id = IdA, Name = "A", Artists = ["Artist"], KnownFeatures = new AudioFeatures(120, 0.5, 0.6, 0.7, -5) },
            new() { Id = IdA, Name = "A again", Artists = ["Artist"], KnownFeatures = new AudioFeatures(121, 0.5, 0.6, 0.7, -5) },
            new() { Id = IdB, Name = "B", KnownFeatures = new AudioFeatures(120, 1.5, 0.6, 0.7, -5) }, // energy out of range
            new() { Id = "not-an-id", Name = "C", KnownFeatures = new AudioFeatures(120, 0.5, 0.6, 0.7, -5) },
            new() { Name = "Local", IsLocal = true, KnownFeatures = new AudioFeatures(120, 0.5, 0.6, 0.7, -5) },
            new() { Id = IdB, Name = "No features" },
        ];

        var result = await contributions.ContributeUploadAsync(tracks, CancellationToken.None);
        var again = await contributions.ContributeUploadAsync(tracks, CancellationToken.None);

        Assert.Equal(new CatalogContributionResult(1, 0, 4, false), result);
        Assert.Equal(new CatalogContributionResult(0, 1, 4, false), again);
        await using var db = database.CreateDbContext();
        var row = await db.CatalogTracks.SingleAsync();
        Assert.Equal((IdA, "A", CatalogSources.File, 120.0), (row.Id, row.Name, row.Source, row.Tempo));
    }

    [Fact]
    public async Task The_admin_setting_turns_contribution_off_and_is_on_by_default()
    {
        using var database = new TestDatabase();
        var contributions = new CatalogContributions(database, TimeProvider.System, NullLogger<CatalogContributions>.Instance);
        Assert.True(await contributions.IsUploadContributionEnabledAsync(CancellationToken.None));

        await contributions.SetUploadContributionEnabledAsync(false, CancellationToken.None);
        var off = await contributions.ContributeUploadAsync([new TrackMetadata { Id = IdA, Name = "A", KnownFeatures = new AudioFeatures(120, 0.5, 0.6, 0.7, -5) }], CancellationToken.None);

        Assert.True(off.Disabled);
        Assert.False(await contributions.IsUploadContributionEnabledAsync(CancellationToken.None));
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(0, await db.CatalogTracks.CountAsync());
        }

        await contributions.SetUploadContributionEnabledAsync(true, CancellationToken.None);
        Assert.True(await contributions.IsUploadContributionEnabledAsync(CancellationToken.None));
    }
}
