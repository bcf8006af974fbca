using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recs.Web.Cli;

/// <summary>Where a verb writes: its summary (or its single JSON object) to stdout; logs go to stderr.</summary>
public sealed class CliOutput(TextWriter stdout, TextWriter stderr, bool json)
{
    /// <summary>snake_case JSON as the contracts in docs/contracts.md §HTTP and §CLI use.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
        // Cluster names use "·": keep them readable (stdout is JSON, not HTML).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public bool IsJson { get; } = json;

    public TextWriter Error { get; } = stderr;

    /// <summary>A line of the human summary; suppressed with <c>--json</c> so stdout stays one JSON object.</summary>
    public void Line(string text = "")
    {
        if (!IsJson)
        {
            stdout.WriteLine(text);
        }
    }

    /// <summary>Writes <paramref name="value"/> as the verb's JSON result (only with <c>--json</c>).</summary>
    public void Result<T>(T value)
    {
        if (IsJson)
        {
            stdout.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
        }
    }

    /// <summary>Progress for a human; goes to stderr so that it never mixes with JSON.</summary>
    public void Progress(string text) => Error.WriteLine(text);
}
