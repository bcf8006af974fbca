namespace Recs.Core.Jobs;

/// <summary>Names of the kinds, for messages and pages.</summary>
public static class JobKinds
{
    /// <summary>Human name of a kind ("catalog import").</summary>
    public static string Describe(JobKind kind) => kind switch
    {
        JobKind.ImportCatalog => "catalog import",
        JobKind.ImportArtistGenres => "artist genres import",
        JobKind.Enrichment => "enrichment",
        JobKind.Training => "training",
        JobKind.FetchFeatures => "features fetch",
        _ => kind.ToString(),
    };
}
