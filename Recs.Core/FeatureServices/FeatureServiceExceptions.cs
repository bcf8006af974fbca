namespace Recs.Core.FeatureServices;

/// <summary>The features service failed after retries (status, or 0 for no answer).</summary>
public class FeatureServiceException(string message, int status = 0, Exception? inner = null) : Exception(message, inner)
{
    public int Status { get; } = status;
}

/// <summary>
/// The service asked Recs to wait longer than it waits inside a request (429 with a long Retry-After, or a short one
/// that kept coming back): nothing more is asked before <see cref="Until"/>; a job pauses until then.
/// </summary>
public sealed class FeatureServiceThrottledException(DateTimeOffset until, TimeSpan retryAfter, string endpoint)
    : FeatureServiceException($"The features service answered 429 to {endpoint}: throttled until {until:u} (Retry-After {retryAfter.TotalSeconds:0} s)", 429)
{
    public DateTimeOffset Until { get; } = until;
}
