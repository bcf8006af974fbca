using Microsoft.Extensions.Options;

namespace Recs.Core.FeatureServices;

/// <summary>Options of the <c>FeatureService</c> configuration section (docs/contracts.md §Configuration; README "Feature sources").</summary>
public sealed class FeatureServiceOptions
{
    public const string SectionName = "FeatureService";

    /// <summary>
    /// <see cref="FeatureServiceProviders.ReccoBeats"/>, <see cref="FeatureServiceProviders.SpotifyCompatible"/> or
    /// <see cref="FeatureServiceProviders.None"/> (nothing is sent anywhere; only the database answers).
    /// Without configuration: <c>none</c>; the shipped appsettings.json turns ReccoBeats on.
    /// </summary>
    public string Provider { get; set; } = FeatureServiceProviders.None;

    /// <summary>Base URL including any version segment; empty = the provider's default (ReccoBeats: <c>https://api.reccobeats.com/v1</c>).
    /// Required for <c>spotify-compatible</c>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Optional key sent with every request (<see cref="ApiKeyHeader"/>); never logged.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Header carrying <see cref="ApiKey"/>: <c>Authorization</c> sends <c>Bearer {key}</c>, any other name sends the key as is.</summary>
    public string ApiKeyHeader { get; set; } = "Authorization";

    /// <summary>Ids per request; 0 = the provider's limit (ReccoBeats 40, Spotify-compatible 100). Never above that limit.</summary>
    public int BatchSize { get; set; }

    /// <summary>Requests in flight at once for one lookup or job.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>How long an id the service did not know is remembered as a miss before it is asked about again.</summary>
    public TimeSpan MissRetryAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Retries of a failed request (5xx, 408, a short 429) before it surfaces.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First backoff delay for retries (exponential with jitter after that).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A 429 whose Retry-After is longer than this is not slept on inside the request: it surfaces as "throttled until".</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>True unless the provider is <c>none</c>.</summary>
    public bool Enabled => !string.Equals(Provider, FeatureServiceProviders.None, StringComparison.OrdinalIgnoreCase);

    /// <summary>The provider name in lower case.</summary>
    public string NormalizedProvider => Provider.Trim().ToLowerInvariant();

    /// <summary>The base URL to use, without a trailing slash.</summary>
    public string ResolvedBaseUrl => (string.IsNullOrWhiteSpace(BaseUrl)
        ? NormalizedProvider == FeatureServiceProviders.ReccoBeats ? FeatureServiceProviders.ReccoBeatsDefaultBaseUrl : ""
        : BaseUrl.Trim()).TrimEnd('/');

    /// <summary>Most ids the provider takes per request.</summary>
    public int ProviderMaxBatchSize => NormalizedProvider == FeatureServiceProviders.ReccoBeats
        ? FeatureServiceProviders.ReccoBeatsMaxBatchSize
        : FeatureServiceProviders.SpotifyCompatibleMaxBatchSize;

    /// <summary>The batch size in use: <see cref="BatchSize"/>, or the provider's limit when 0.</summary>
    public int EffectiveBatchSize => BatchSize > 0 ? BatchSize : ProviderMaxBatchSize;
}

/// <summary>Known values of <see cref="FeatureServiceOptions.Provider"/>.</summary>
public static class FeatureServiceProviders
{
    public const string ReccoBeats = "reccobeats";
    public const string SpotifyCompatible = "spotify-compatible";
    public const string None = "none";

    public const string ReccoBeatsDefaultBaseUrl = "https://api.reccobeats.com/v1";

    /// <summary>ReccoBeats answers 400 ("size must be between 1 and 40") to more.</summary>
    public const int ReccoBeatsMaxBatchSize = 40;

    /// <summary>Spotify's own <c>GET /audio-features</c> took at most 100 ids.</summary>
    public const int SpotifyCompatibleMaxBatchSize = 100;

    public static readonly IReadOnlyList<string> All = [ReccoBeats, SpotifyCompatible, None];
}

/// <summary>Start-up validation of <see cref="FeatureServiceOptions"/>: every message names the key and the value.</summary>
public sealed class FeatureServiceOptionsValidator : IValidateOptions<FeatureServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, FeatureServiceOptions o)
    {
        var s = FeatureServiceOptions.SectionName;
        var errors = new List<string>();
        if (!FeatureServiceProviders.All.Contains(o.NormalizedProvider))
        {
            errors.Add($"{s}:Provider must be one of {string.Join(", ", FeatureServiceProviders.All)}; got '{o.Provider}'.");
            return ValidateOptionsResult.Fail(errors);
        }

        if (o.Enabled)
        {
            if (string.IsNullOrWhiteSpace(o.BaseUrl) && o.NormalizedProvider == FeatureServiceProviders.SpotifyCompatible)
            {
                errors.Add($"{s}:BaseUrl is required with {s}:Provider={FeatureServiceProviders.SpotifyCompatible} (e.g. https://api.example.com/v1).");
            }
            else if (!Uri.TryCreate(o.ResolvedBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                errors.Add($"{s}:BaseUrl must be an absolute http(s) URL; got '{o.BaseUrl}'.");
            }

            if (o.BatchSize < 0 || o.BatchSize > o.ProviderMaxBatchSize)
            {
                errors.Add($"{s}:BatchSize must be between 1 and {o.ProviderMaxBatchSize} for {o.NormalizedProvider} (0 = {o.ProviderMaxBatchSize}); got {o.BatchSize}.");
            }

            if (string.IsNullOrWhiteSpace(o.ApiKeyHeader))
            {
                errors.Add($"{s}:ApiKeyHeader must not be empty.");
            }
        }

        if (o.MaxConcurrency is < 1 or > 64)
        {
            errors.Add($"{s}:MaxConcurrency must be between 1 and 64; got {o.MaxConcurrency}.");
        }

        if (o.MissRetryAfter <= TimeSpan.Zero)
        {
            errors.Add($"{s}:MissRetryAfter must be a positive time span (e.g. 30.00:00:00 for 30 days); got {o.MissRetryAfter}.");
        }

        if (o.MaxRetryAttempts is < 0 or > 10)
        {
            errors.Add($"{s}:MaxRetryAttempts must be between 0 and 10; got {o.MaxRetryAttempts}.");
        }

        if (o.RetryBaseDelay < TimeSpan.Zero)
        {
            errors.Add($"{s}:RetryBaseDelay must not be negative; got {o.RetryBaseDelay}.");
        }

        if (o.MaxRetryAfter < TimeSpan.Zero)
        {
            errors.Add($"{s}:MaxRetryAfter must not be negative; got {o.MaxRetryAfter}.");
        }

        if (o.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{s}:RequestTimeout must be positive; got {o.RequestTimeout}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
