namespace Recs.Web.Cli;

/// <summary>
/// A CLI verb (docs/contracts.md §CLI): <c>dotnet run --project Recs.Web -- &lt;verb&gt; [options]</c>.
/// Verbs are discovered by reflection and created through DI, so a feature adds one by adding a class.
/// </summary>
public interface ICliVerb
{
    /// <summary>The verb as typed, e.g. "import-catalog".</summary>
    string Name { get; }

    /// <summary>One line for <c>--help</c>.</summary>
    string Summary { get; }

    /// <summary>Options the verb accepts (without "--"), besides the global <c>json</c> and <c>data-dir</c>.</summary>
    IReadOnlyCollection<string> Options { get; }

    /// <summary>Runs the verb; returns the process exit code. Throw <see cref="CliUsageException"/> for bad input.</summary>
    Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken cancellationToken);
}

/// <summary>Bad input on the command line or in a file: printed as "error: message" with exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
