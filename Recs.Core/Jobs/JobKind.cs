namespace Recs.Core.Jobs;

/// <summary>The kinds of admin job; one runner (and at most one active job) per kind.</summary>
/// <remarks>
/// Adding a kind: a value here, a parameters record implementing <see cref="IJobParameters"/>, an <see cref="IJobHandler"/>
/// registered in <see cref="JobHandlersExtensions.AddRecsJobHandlers"/>, and its name in <see cref="JobKinds.Describe"/>.
/// The web host then runs, recovers and coordinates it like the others.
/// </remarks>
public enum JobKind
{
    ImportCatalog,
    ImportArtistGenres,
    Enrichment,
    Training,

    /// <summary>Fetch real audio features from the features service for tracks seen without them.</summary>
    FetchFeatures,
}
