using System.Reflection;
using Microsoft.Extensions.Logging.Console;
using Recs.Core.Persistence;

namespace Recs.Web.Cli;

/// <summary>Runs a CLI verb in a generic host that has the same services as the web app.</summary>
public static class CliRunner
{
    private static readonly Type[] VerbTypes = typeof(CliRunner).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(ICliVerb).IsAssignableFrom(t))
        .ToArray();

    /// <summary>True when the first argument is a verb (or help), so the web app must not start.</summary>
    public static bool IsVerb(string[] args) =>
        args.Length > 0 && !args[0].StartsWith('-') || args is ["--help"] or ["-h"];

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, CancellationToken cancellationToken = default)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        CliArgs parsed;
        try
        {
            parsed = CliArgs.Parse(args);
        }
        catch (CliUsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = RecsCommandLine.ToConfigurationArgs(args.Skip(1).ToArray()),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddRecsRootSettings();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Recs", LogLevel.Information);
        builder.AddRecsServices();
        foreach (var type in VerbTypes)
        {
            builder.Services.AddTransient(type);
        }

        using var host = builder.Build();
        var verbs = VerbTypes.Select(t => (ICliVerb)host.Services.GetRequiredService(t)).ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);

        if (parsed.Verb is "help" or "--help" or "-h")
        {
            await stdout.WriteLineAsync("usage: Recs.Web <verb> [options] [--json] [--data-dir DIR]    (no verb: run the web app)");
            foreach (var v in verbs.Values.OrderBy(v => v.Name))
            {
                await stdout.WriteLineAsync($"  {v.Name,-22} {v.Summary}");
            }

            return 0;
        }

        if (!verbs.TryGetValue(parsed.Verb, out var verb))
        {
            await stderr.WriteLineAsync($"error: unknown verb '{parsed.Verb}' (verbs: {string.Join(", ", verbs.Keys.Order())})");
            return 2;
        }

        var output = new CliOutput(stdout, stderr, parsed.Json);
        try
        {
            parsed.EnsureOnly(verb.Options);
            await host.Services.MigrateRecsDatabaseAsync(cancellationToken);
            return await verb.RunAsync(parsed, output, cancellationToken);
        }
        catch (CliUsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cancelled");
            return 130;
        }
    }
}
