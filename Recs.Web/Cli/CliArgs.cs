using System.Globalization;

namespace Recs.Web.Cli;

/// <summary>Parsed <c>--name value</c> options of a verb. Every accessor names the option in its error.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _values;

    private CliArgs(string verb, Dictionary<string, string?> values, Dictionary<string, string> configuration)
    {
        Verb = verb;
        _values = values;
        Configuration = configuration;
    }

    public string Verb { get; }

    /// <summary>
    /// Configuration keys given on the command line (any option whose name has a colon, e.g.
    /// <c>--Recs:Database:Provider=postgres</c>): every verb accepts them, like the web app.
    /// </summary>
    public IReadOnlyDictionary<string, string> Configuration { get; }

    /// <summary>True when <c>--json</c> was given.</summary>
    public bool Json => Flag("json");

    /// <summary>
    /// Parses arguments after the verb. Options are <c>--name value</c>, <c>--name=value</c> or a bare flag; a name with
    /// a colon is a configuration key (<see cref="Configuration"/>), never a verb option.
    /// </summary>
    public static CliArgs Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new CliUsageException("no verb given");
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var configuration = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
            {
                throw new CliUsageException($"unexpected argument '{a}': options are written --name value");
            }

            var name = a[2..];
            string? value = null;
            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            if (name.Contains(':'))
            {
                // A configuration key (--Recs:Database:Provider=postgres, "--ConnectionStrings:Recs=Host=…"): the host's
                // command-line configuration takes it (RecsCommandLine.ToConfigurationArgs), so it is not a verb option.
                if (value is null)
                {
                    throw new CliUsageException($"configuration key --{name} has no value: write --{name}=value");
                }

                configuration[name] = value;
                continue;
            }

            if (!values.TryAdd(name, value))
            {
                throw new CliUsageException($"option --{name} given twice");
            }
        }

        return new CliArgs(args[0], values, configuration);
    }

    /// <summary>Throws when an option is not one the verb knows.</summary>
    public void EnsureOnly(IEnumerable<string> known)
    {
        var allowed = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase) { "json", "data-dir" };
        foreach (var name in _values.Keys.Where(n => !allowed.Contains(n)))
        {
            throw new CliUsageException($"unknown option --{name} for '{Verb}' (known: {string.Join(", ", allowed.Order().Select(o => "--" + o))})");
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public string Require(string name) =>
        Get(name) is { Length: > 0 } v ? v : throw new CliUsageException($"missing required option --{name}");

    /// <summary>A path that must name an existing file.</summary>
    public string RequireFile(string name)
    {
        var path = Require(name);
        return File.Exists(path) ? Path.GetFullPath(path) : throw new CliUsageException($"--{name}: file not found: {path}");
    }

    public bool Flag(string name)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return false;
        }

        return v is null || ParseBool(name, v);
    }

    public bool Bool(string name, bool defaultValue) =>
        _values.TryGetValue(name, out var v) ? v is null || ParseBool(name, v) : defaultValue;

    public int Int(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        if (Get(name) is not { } v)
        {
            return defaultValue;
        }

        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new CliUsageException($"--{name}: '{v}' is not a whole number from {min} to {max}");
        }

        return n;
    }

    public int? OptionalInt(string name, int min = int.MinValue, int max = int.MaxValue) =>
        Has(name) ? Int(name, 0, min, max) : null;

    public double Double(string name, double defaultValue, double min = double.MinValue, double max = double.MaxValue)
    {
        if (Get(name) is not { } v)
        {
            return defaultValue;
        }

        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d < min || d > max || !double.IsFinite(d))
        {
            throw new CliUsageException($"--{name}: '{v}' is not a number from {min} to {max}");
        }

        return d;
    }

    private static bool ParseBool(string name, string v) => v.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new CliUsageException($"--{name}: '{v}' is not true or false"),
    };
}
