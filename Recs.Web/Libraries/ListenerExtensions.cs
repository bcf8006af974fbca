using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Recs.Core.Libraries;
using Recs.Web.Api;

namespace Recs.Web.Libraries;

public static class ListenerExtensions
{
    /// <summary>
    /// The listener's side of the web app: stored libraries, the clustering cache, and the per-user rate limit of
    /// <c>POST /api/clusters</c>. Call <c>app.UseRateLimiter()</c> after authentication and <c>app.MapClustersApi()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddListener(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ListenerOptions>()
            .Bind(builder.Configuration.GetSection(ListenerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<UserLibraryStore>();
        // The listener's seams over the clustering, prediction, demo and Spotify features (tests swap them for fakes).
        builder.Services.TryAddSingleton<IListenerClusterer, ActiveModelClusterer>();
        builder.Services.TryAddSingleton<ISimilarTracksSource, ModelSimilarTracks>();
        builder.Services.TryAddSingleton<IDemoLibrarySource, GeneratedDemoLibrary>();
        builder.Services.TryAddSingleton<IListenerSpotify, ListenerSpotify>();
        builder.Services.TryAddSingleton<LibraryService>();
        builder.Services.TryAddSingleton<LibrarySources>();
        builder.Services.TryAddSingleton<Recs.Web.Components.CircuitCounter>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(
            sp => sp.GetRequiredService<Recs.Web.Components.CircuitCounter>());

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(ClustersApi.RateLimitPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<ListenerOptions>>().Value;
                // Per user; anonymous callers share a partition per address (they only ever get 401 anyway).
                var partition = ListenerUser.IdOf(context.User) is { } user ? "user:" + user : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.ApiPermitLimit,
                    Window = TimeSpan.FromSeconds(options.ApiWindowSeconds),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                }

                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = "Slow down: this API allows a limited number of calls per user per minute.",
                    },
                });
            };
        });
        builder.Services.AddApiProblems();
        return builder;
    }

    /// <summary>
    /// The API's middleware: the rate limiter, and problem details under <c>/api</c> for what the framework itself
    /// refuses (a body it cannot bind, 415 for a body that is not JSON, validation failures). Call after authentication.
    /// </summary>
    public static IApplicationBuilder UseListenerApi(this IApplicationBuilder app)
    {
        app.UseApiProblems("/api");
        return app.UseRateLimiter();
    }
}
