using System.ComponentModel.DataAnnotations;

namespace Recs.Core.Spotify;

/// <summary>Options of the <c>Spotify</c> configuration section (docs/contracts.md §Configuration).</summary>
public sealed class SpotifyOptions
{
    public const string SectionName = "Spotify";

    /// <summary>The app's client id from the Spotify developer dashboard; empty = Spotify not configured.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The app's client secret; needed for app-only (client credentials) tokens and the code exchange.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Accounts service base URL; point it at a Spotify-compatible server on loopback for tests.</summary>
    [Required, Url]
    public string AccountsBaseUrl { get; set; } = "https://accounts.spotify.com";

    /// <summary>Web API base URL including the version segment.</summary>
    [Required, Url]
    public string ApiBaseUrl { get; set; } = "https://api.spotify.com/v1";

    /// <summary>Retries of a failed request (5xx, 408, ordinary 429) before it surfaces.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First backoff delay for 5xx/408 retries (exponential with jitter after that).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A 429 whose Retry-After is longer than this is not slept on inside the request: it surfaces as a pause
    /// (<see cref="SpotifyQuotaExceededException"/>) for the job to persist and resume later.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Enrichment: when a request still fails with an error retrying can fix (5xx, 408, a short 429, a network error)
    /// after the <see cref="MaxRetryAttempts"/> retries, the run waits this long (doubling each time) and asks again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TransientFailureBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times enrichment asks again after such a burst before it pauses (see <see cref="TransientFailurePause"/>).</summary>
    [Range(0, 20)]
    public int TransientFailureRetries { get; set; } = 4;

    /// <summary>How long an enrichment job pauses, with the reason, when Spotify keeps failing; it then resumes by itself.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TransientFailurePause { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>True when a client id and secret are configured.</summary>
    public bool HasCredentials => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    /// <summary><see cref="ApiBaseUrl"/> without a trailing slash.</summary>
    public string ApiBase => ApiBaseUrl.TrimEnd('/');

    /// <summary>The token endpoint, <c>{AccountsBaseUrl}/api/token</c>.</summary>
    public string TokenEndpoint => AccountsBaseUrl.TrimEnd('/') + "/api/token";

    /// <summary>The authorize endpoint, <c>{AccountsBaseUrl}/authorize</c>.</summary>
    public string AuthorizationEndpoint => AccountsBaseUrl.TrimEnd('/') + "/authorize";
}
