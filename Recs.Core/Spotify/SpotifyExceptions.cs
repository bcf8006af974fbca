namespace Recs.Core.Spotify;

/// <summary>A Web API error (<c>{"error":{"status","message","reason"}}</c>) after retries.</summary>
public class SpotifyApiException(int status, string? spotifyMessage, string? reason, string endpoint)
    : Exception($"Spotify answered {status} to {endpoint}: {spotifyMessage}{(reason is null ? "" : $" ({reason})")}")
{
    public int Status { get; } = status;
    public string? SpotifyMessage { get; } = spotifyMessage;

    /// <summary>Machine-readable reason, e.g. <c>QUOTA_EXCEEDED</c>; match on this and <see cref="Status"/>, never on the message.</summary>
    public string? Reason { get; } = reason;
    public string Endpoint { get; } = endpoint;
}

/// <summary>
/// Spotify asked Recs to stop for longer than it should wait inside a request: the Development Mode quota
/// (<c>429</c>, <c>reason: QUOTA_EXCEEDED</c>, Retry-After of hours) or any 429 with a Retry-After above
/// <see cref="SpotifyOptions.MaxRetryAfter"/>. Jobs persist <see cref="PausedUntil"/> and resume then.
/// </summary>
public sealed class SpotifyQuotaExceededException(DateTimeOffset pausedUntil, TimeSpan retryAfter, string? reason, string endpoint)
    : SpotifyApiException(429, $"paused until {pausedUntil:u} (Retry-After {retryAfter.TotalSeconds:0} s)", reason, endpoint)
{
    public DateTimeOffset PausedUntil { get; } = pausedUntil;
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>True for the quota (<c>QUOTA_EXCEEDED</c>), false for an ordinary but long rate limit.</summary>
    public bool IsQuota => Reason == "QUOTA_EXCEEDED";
}

/// <summary>The refresh token is no longer accepted (<c>invalid_grant</c>: revoked, rotated away, or consent expired): sign in again.</summary>
public sealed class SpotifySignInRequiredException(string? description)
    : Exception($"Spotify no longer accepts the stored sign-in ({description ?? "invalid_grant"}); sign in again.")
{
    public string? Description { get; } = description;
}

/// <summary>The accounts service refused a token request for another reason (e.g. <c>invalid_client</c>: wrong id or secret).</summary>
public sealed class SpotifyAccountsException(int status, string error, string? description)
    : Exception($"Spotify accounts service answered {status} {error}: {description}")
{
    public int Status { get; } = status;
    public string Error { get; } = error;
}

/// <summary>Classifies exceptions from Spotify calls.</summary>
public static class SpotifyExceptions
{
    /// <summary>
    /// True for a failure of Spotify or of the way to it after the resilience handler gave up: an API error (quota
    /// included), a network error, or a rejection by the resilience pipeline (timeout, open circuit breaker).
    /// </summary>
    public static bool IsSpotifyFailure(Exception ex) =>
        ex is SpotifyApiException or HttpRequestException or Polly.ExecutionRejectedException;
}
