namespace Recs.Tests.TestSupport.Browser;

/// <summary>
/// Debian's Chromium, the only browser the tests use (Playwright never downloads one here). See shared STACK.md.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The launch arguments verified on the CI machine (headless, no sandbox in containers, no background traffic).</summary>
    public static readonly IReadOnlyList<string> LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    public static bool IsInstalled => File.Exists(ExecutablePath);

    /// <summary>True when the <c>CI</c> environment variable is set: a missing browser is then a failure, not a skip.</summary>
    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public const string MissingMessage =
        $"Chromium is not installed at {ExecutablePath} (install it with `apt-get install -y chromium`; .ci/run does).";
}

/// <summary>
/// A browser test: skipped with a clear reason when Chromium is absent on a developer machine, but run (and failing
/// with <see cref="Chromium.MissingMessage"/>) when the <c>CI</c> environment variable is set.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Chromium.IsInstalled && !Chromium.IsCi)
        {
            Skip = Chromium.MissingMessage + " Set CI=1 to make this a failure instead of a skip.";
        }
    }
}

/// <summary>A parameterised browser test (e.g. over <see cref="BrowserViews.All"/>), skipped or failing as <see cref="BrowserFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (!Chromium.IsInstalled && !Chromium.IsCi)
        {
            Skip = Chromium.MissingMessage + " Set CI=1 to make this a failure instead of a skip.";
        }
    }
}
