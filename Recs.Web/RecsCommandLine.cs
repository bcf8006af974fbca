using Microsoft.Extensions.Configuration.Json;

namespace Recs.Web;

/// <summary>Command-line and configuration-file conventions shared by the web app and the CLI.</summary>
public static class RecsCommandLine
{
    /// <summary>
    /// Web app arguments: <c>--data-dir DIR</c> becomes the configuration key <c>Recs:DataDirectory</c>;
    /// everything else (e.g. <c>--urls</c>, <c>--Spotify:ClientId=…</c>) passes through unchanged.
    /// </summary>
    public static string[] MapDataDirectory(string[] args) => Map(args, keepOthers: true);

    /// <summary>
    /// CLI arguments after the verb: <c>--data-dir</c> mapped as for the web app, plain configuration overrides
    /// (keys with a colon) kept, and the verb's own options dropped so they never become configuration.
    /// </summary>
    public static string[] ToConfigurationArgs(string[] args) => Map(args, keepOthers: false);

    /// <summary>True for <c>--Section:Key…</c>: a colon in the option's name (not merely in its value, e.g. a path).</summary>
    internal static bool IsConfigurationKey(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf(':') is var colon and > 2 && (arg.IndexOf('=') is var eq && (eq < 0 || colon < eq));

    private static string[] Map(string[] args, bool keepOthers)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--data-dir" && i + 1 < args.Length)
            {
                result.Add($"--Recs:DataDirectory={args[++i]}");
            }
            else if (a.StartsWith("--data-dir=", StringComparison.Ordinal))
            {
                result.Add($"--Recs:DataDirectory={a["--data-dir=".Length..]}");
            }
            else if (keepOthers || IsConfigurationKey(a))
            {
                result.Add(a);
                if (!keepOthers && !a.Contains('=') && i + 1 < args.Length)
                {
                    result.Add(args[++i]);
                }
            }
        }

        return result.ToArray();
    }

    /// <summary>
    /// Adds the root <c>appsettings.json</c> (linked into the build output) right after the content-root
    /// appsettings files, so environment variables, user secrets and the command line still override it.
    /// </summary>
    public static IConfigurationManager AddRecsRootSettings(this IConfigurationManager configuration)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var sources = configuration.Sources;
        var lastJson = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { Path: { } p } && p.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                lastJson = i;
            }
        }

        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        sources.Insert(lastJson >= 0 ? lastJson + 1 : 0, source);
        return configuration;
    }
}
