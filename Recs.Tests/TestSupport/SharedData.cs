namespace Recs.Tests.TestSupport;

/// <summary>
/// The real data in ../shared/data (never copied into the repo). Tests that use it skip cleanly when it is absent.
/// </summary>
public static class SharedData
{
    /// <summary>The shared/data directory, or null when it is not beside the repository.</summary>
    public static string? Directory { get; } = Find();

    public static string? File(string relative) =>
        Directory is { } d && System.IO.File.Exists(System.IO.Path.Combine(d, relative)) ? System.IO.Path.Combine(d, relative) : null;

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that runs only when the named file of ../shared/data exists.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string relativePath)
    {
        if (SharedData.File(relativePath) is null)
        {
            Skip = $"../shared/data/{relativePath} is not present";
        }
    }
}

/// <summary>A theory over real data in ../shared/data, skipped when the file is absent (e.g. on a clean clone).</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute(string relativePath)
    {
        if (SharedData.File(relativePath) is null)
        {
            Skip = $"../shared/data/{relativePath} is not present";
        }
    }
}
