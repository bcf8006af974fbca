namespace Recs.Tests.TestSupport;

/// <summary>
/// Tests that compare the process's managed heap before and after (<c>GC.GetTotalMemory</c> after a full collection)
/// measure every test running beside them too: in the full suite another class's work landed in the figure (a leak test
/// saw 51 MB of "growth" with 0 of 150 pages alive; alone it sees ~20 KB). xunit runs this collection by itself, after
/// the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurementCollection
{
    public const string Name = "Heap measurements (run alone)";
}
