using System.Net;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Recs.Core.FeatureServices;

public static class FeatureServiceExtensions
{
    /// <summary>
    /// Registers <see cref="FeatureServiceOptions"/> (validated at start-up), <see cref="IKnownFeatureLookup"/>,
    /// <see cref="CatalogContributions"/>, and the features service HttpClient: retries of 5xx/408 with backoff and of
    /// short 429s after Retry-After, a long 429 surfacing as "throttled until", every attempt counted.
    /// </summary>
    public static IHostApplicationBuilder AddFeatureServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FeatureServiceOptions>()
            .Bind(builder.Configuration.GetSection(FeatureServiceOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FeatureServiceOptions>, FeatureServiceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FeatureServiceRequestCounter>();
        services.TryAddSingleton<FeatureServiceThrottle>();
        services.TryAddSingleton<FeatureServiceClientFactory>();
        services.TryAddSingleton<CatalogContributions>();
        services.TryAddSingleton<FeatureServiceFetcher>();
        services.TryAddSingleton<IKnownFeatureLookup, KnownFeatureLookup>();
        services.TryAddTransient<CatalogFeatureFetchRunner>();
        services.TryAddTransient<FeatureServiceCountingHandler>();

        services.AddHttpClient(FeatureServiceClientFactory.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler()
            .Configure((o, sp) => ConfigureResilience(o, sp));
        services.AddHttpClient(FeatureServiceClientFactory.HttpClientName).AddHttpMessageHandler<FeatureServiceCountingHandler>();
        return builder;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions o, IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<FeatureServiceOptions>>().Value;
        var time = sp.GetRequiredService<TimeProvider>();
        o.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts);
        o.Retry.Delay = options.RetryBaseDelay;
        o.Retry.BackoffType = DelayBackoffType.Exponential;
        o.Retry.UseJitter = true;
        o.Retry.ShouldRetryAfterHeader = true;
        o.Retry.MaxDelay = options.MaxRetryAfter > TimeSpan.Zero ? options.MaxRetryAfter : TimeSpan.FromSeconds(1);
        o.Retry.ShouldHandle = args =>
        {
            if (options.MaxRetryAttempts == 0 || !HttpClientResiliencePredicates.IsTransient(args.Outcome))
            {
                return ValueTask.FromResult(false);
            }

            // No service at that name or port (offline, wrong BaseUrl): retrying only delays the answer "unknown".
            if (args.Outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError })
            {
                return ValueTask.FromResult(false);
            }

            // A 429 is retried here only when its Retry-After is short; a long one surfaces as "throttled until".
            return ValueTask.FromResult(args.Outcome.Result is not { StatusCode: HttpStatusCode.TooManyRequests } response ||
                                        RetryAfter(response, time) is not { } wait || wait <= options.MaxRetryAfter);
        };

        o.AttemptTimeout.Timeout = options.RequestTimeout;
        o.TotalRequestTimeout.Timeout = options.RequestTimeout * (o.Retry.MaxRetryAttempts + 1) + options.MaxRetryAfter * o.Retry.MaxRetryAttempts;
        o.CircuitBreaker.SamplingDuration = o.AttemptTimeout.Timeout * 2 > TimeSpan.FromSeconds(60) ? o.AttemptTimeout.Timeout * 2 : TimeSpan.FromSeconds(60);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };
}
