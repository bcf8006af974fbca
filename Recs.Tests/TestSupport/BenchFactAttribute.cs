namespace Recs.Tests.TestSupport;

/// <summary>
/// A measurement, not a test: runs only with RECS_BENCH=1 (and, when given, when the named ../shared/data file
/// exists); otherwise it is reported as skipped rather than passing without checking anything.
/// </summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute(string? sharedDataFile = null)
    {
        if (Environment.GetEnvironmentVariable("RECS_BENCH") != "1")
        {
            Skip = "a benchmark: set RECS_BENCH=1 to run it";
        }
        else if (sharedDataFile is not null && SharedData.File(sharedDataFile) is null)
        {
            Skip = $"../shared/data/{sharedDataFile} is not present";
        }
    }
}
