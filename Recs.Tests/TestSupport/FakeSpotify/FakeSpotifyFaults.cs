namespace Recs.Tests.TestSupport.FakeSpotify;

/// <summary>A scripted failure the fake answers instead of the real response (or a delay before it).</summary>
public sealed record FakeFault
{
    /// <summary>Status to answer; null means "no error, only <see cref="Latency"/>".</summary>
    public int? Status { get; init; }
    public int? RetryAfterSeconds { get; init; }
    public string? Reason { get; init; }
    public string Message { get; init; } = "";
    public TimeSpan Latency { get; init; }

    /// <summary>When true the access token used is expired for good (a refresh is needed, not a plain retry).</summary>
    public bool ExpiresToken { get; init; }

    /// <summary>Ordinary rate limiting: 429 with a short Retry-After.</summary>
    public static FakeFault RateLimited(int retryAfterSeconds = 1) =>
        new() { Status = 429, RetryAfterSeconds = retryAfterSeconds, Message = "API rate limit exceeded" };

    /// <summary>Development Mode quota exhausted: 429, reason QUOTA_EXCEEDED, Retry-After of hours.</summary>
    public static FakeFault QuotaExceeded(int retryAfterSeconds = 48_925) =>
        new() { Status = 429, RetryAfterSeconds = retryAfterSeconds, Reason = "QUOTA_EXCEEDED", Message = "Too many requests" };

    public static FakeFault ServerError(int status = 503) =>
        new() { Status = status, Message = status == 502 ? "Bad gateway" : status == 500 ? "Server error" : "Service unavailable" };

    /// <summary>401 "The access token expired", and the token stays expired.</summary>
    public static FakeFault ExpiredToken() =>
        new() { Status = 401, Message = "The access token expired", ExpiresToken = true };

    public static FakeFault Delay(TimeSpan latency) => new() { Latency = latency };
}

/// <summary>
/// Fault rules: "fail the Nth request (1-based, counted from when the rule was added) whose path starts with P,
/// and the next <c>times - 1</c> matching ones too". Paths are full request paths, e.g. <c>/v1/me/tracks</c>.
/// </summary>
public sealed class FakeSpotifyFaults
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];

    /// <summary>The next API request (any path under /v1) gets <paramref name="fault"/>.</summary>
    public FakeSpotifyFaults Enqueue(FakeFault fault) => FailNth("/v1/", 1, fault);

    /// <summary>The Nth request to <paramref name="pathPrefix"/> (and <paramref name="times"/>−1 following ones) gets the fault.</summary>
    public FakeSpotifyFaults FailNth(string pathPrefix, int nth, FakeFault fault, int times = 1)
    {
        lock (_gate)
        {
            _rules.Add(new Rule(pathPrefix, nth, times, fault));
        }

        return this;
    }

    /// <summary>Every request to <paramref name="pathPrefix"/> from the Nth on gets the fault until <see cref="Clear"/>.</summary>
    public FakeSpotifyFaults FailFrom(string pathPrefix, int nth, FakeFault fault) => FailNth(pathPrefix, nth, fault, int.MaxValue);

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>Faults answered so far.</summary>
    public int Fired { get; private set; }

    internal FakeFault? Next(string path)
    {
        lock (_gate)
        {
            FakeFault? chosen = null;
            foreach (var rule in _rules)
            {
                if (!path.StartsWith(rule.PathPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                rule.Seen++;
                if (chosen is null && rule.Seen >= rule.Nth && rule.Seen - rule.Nth < rule.Times)
                {
                    chosen = rule.Fault;
                }
            }

            if (chosen is not null)
            {
                Fired++;
            }

            return chosen;
        }
    }

    private sealed class Rule(string pathPrefix, int nth, int times, FakeFault fault)
    {
        public string PathPrefix { get; } = pathPrefix;
        public int Nth { get; } = nth;
        public int Times { get; } = times;
        public FakeFault Fault { get; } = fault;
        public int Seen { get; set; }
    }
}

/// <summary>One request the fake answered.</summary>
/// <param name="Route">The route template, e.g. <c>/v1/tracks/{id}</c>, or the path when no route matched.</param>
/// <param name="Token">The bearer token sent, if any.</param>
/// <param name="UserId">The user the token belongs to (null for app-only tokens and the accounts service).</param>
public sealed record FakeSpotifyRequest(
    DateTimeOffset At, string Method, string Path, string Query, string Route, int Status, string? Token, string? UserId);
