namespace Recs.Core.Enrichment;

public sealed class EnrichmentRunner;
