using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Recs.Core.Spotify;

public static class SpotifyExtensions
{
    /// <summary>
    /// Registers <see cref="SpotifyOptions"/>, the resilient Spotify HttpClients, <see cref="SpotifyClientFactory"/>,
    /// app-only tokens, mode detection cache, request counting, the library fetcher and enrichment.
    /// </summary>
    public static IHostApplicationBuilder AddSpotify(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SpotifyOptions>()
            .Bind(builder.Configuration.GetSection(SpotifyOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SpotifyModeCache>();
        services.TryAddSingleton<ClientCredentialsTokenSource>();
        services.TryAddSingleton<SpotifyClientFactory>();
        services.TryAddSingleton<SpotifyLibraryFetcher>();
        services.TryAddTransient<Enrichment.EnrichmentRunner>();

        // Web API: retries of 5xx/408 with backoff and of short 429s after Retry-After; the quota and long 429s are
        // not retried here (they surface as a pause). Unsafe methods (playlist POSTs) are never retried: no duplicates.
        services.AddHttpClient(SpotifyClientFactory.ApiClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler()
            .Configure((o, sp) => ConfigureResilience(o, sp, retryUnsafeMethods: false));
        services.AddHttpClient(SpotifyClientFactory.ApiClientName).AddSpotifyRequestCounting();

        services.AddHttpClient<SpotifyAccountsClient>(SpotifyClientFactory.AccountsClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler()
            .Configure((o, sp) => ConfigureResilience(o, sp, retryUnsafeMethods: true));
        services.AddHttpClient(SpotifyClientFactory.AccountsClientName).AddSpotifyRequestCounting();
        return builder;
    }

    /// <summary>
    /// Counts every request of this client in <see cref="SpotifyRequestCounter"/> (by the endpoint template set in
    /// the request's options, else method and path). Add it after any retry handler so each attempt is counted.
    /// </summary>
    public static IHttpClientBuilder AddSpotifyRequestCounting(this IHttpClientBuilder builder)
    {
        builder.Services.TryAddSingleton<SpotifyRequestCounter>();
        builder.Services.TryAddTransient<SpotifyCountingHandler>();
        return builder.AddHttpMessageHandler<SpotifyCountingHandler>();
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions o, IServiceProvider sp, bool retryUnsafeMethods)
    {
        var spotify = sp.GetRequiredService<IOptions<SpotifyOptions>>().Value;
        var time = sp.GetRequiredService<TimeProvider>();
        o.Retry.MaxRetryAttempts = Math.Max(1, spotify.MaxRetryAttempts);
        o.Retry.Delay = spotify.RetryBaseDelay;
        o.Retry.BackoffType = DelayBackoffType.Exponential;
        o.Retry.UseJitter = true;
        o.Retry.ShouldRetryAfterHeader = true;
        o.Retry.MaxDelay = spotify.MaxRetryAfter;
        o.Retry.ShouldHandle = async args =>
        {
            if (spotify.MaxRetryAttempts == 0 || !HttpClientResiliencePredicates.IsTransient(args.Outcome))
            {
                return false;
            }

            return args.Outcome.Result is not { StatusCode: HttpStatusCode.TooManyRequests } response ||
                   await SpotifyRetryAfter.IsShortRateLimitAsync(response, spotify.MaxRetryAfter, time, args.Context.CancellationToken);
        };
        if (!retryUnsafeMethods)
        {
            o.Retry.DisableForUnsafeHttpMethods();
        }

        // Attempts wait on Retry-After of up to MaxRetryAfter; the whole call must outlast the retries.
        o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
        o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30) * (o.Retry.MaxRetryAttempts + 1) + spotify.MaxRetryAfter * o.Retry.MaxRetryAttempts;
        o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
    }
}
