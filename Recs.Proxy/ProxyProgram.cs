using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace Recs.Proxy;

/// <summary>Options of the <c>Proxy</c> section.</summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Proxy";

    /// <summary>The Recs instances, e.g. <c>http://recs1:8080/</c> (<c>Proxy__Destinations__0=…</c>, <c>--Proxy:Destinations:0=…</c>).</summary>
    public List<string> Destinations { get; set; } = [];

    /// <summary>Seconds between active health probes of <c>/health/ready</c> (0: probes off, passive only).</summary>
    public int HealthCheckSeconds { get; set; } = 5;
}

/// <summary>
/// The load balancer in front of several Recs instances (ADR-153): YARP with cookie session affinity (a Blazor Server
/// circuit lives in one instance's memory, so every request and the WebSocket of a browser session must reach the
/// instance that holds it), WebSockets proxied as YARP does by default, and an active probe of each instance's
/// <c>/health/ready</c> so an instance that is starting (loading its model) or broken gets no new sessions. When the
/// affine instance is down, its sessions are redistributed (the user reconnects and signs in again only if the
/// cookie cannot be read, which with the shared Data Protection keys it can).
/// </summary>
public static class ProxyProgram
{
    /// <summary>The affinity cookie's name.</summary>
    public const string AffinityCookie = ".Recs.Affinity";

    public static async Task Main(string[] args)
    {
        await using var app = Build(args);
        await app.RunAsync();
    }

    /// <summary>The proxy app (not started); <paramref name="configure"/> may add settings or services (tests).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var options = builder.Configuration.GetSection(ProxyOptions.SectionName).Get<ProxyOptions>() ?? new ProxyOptions();
        if (options.Destinations.Count == 0)
        {
            throw new InvalidOperationException(
                "Proxy:Destinations is empty: give the Recs instances, e.g. Proxy__Destinations__0=http://recs1:8080/ Proxy__Destinations__1=http://recs2:8080/");
        }

        builder.Services.AddReverseProxy().LoadFromMemory([Route()], [Cluster(options)]);
        var app = builder.Build();
        app.MapReverseProxy();
        return app;
    }

    private static RouteConfig Route() => new()
    {
        RouteId = "recs",
        ClusterId = "recs",
        Match = new RouteMatch { Path = "{**catch-all}" },
    };

    private static ClusterConfig Cluster(ProxyOptions options) => new()
    {
        ClusterId = "recs",
        LoadBalancingPolicy = LoadBalancingPolicies.PowerOfTwoChoices,
        SessionAffinity = new SessionAffinityConfig
        {
            Enabled = true,
            Policy = "Cookie",
            FailurePolicy = "Redistribute",
            AffinityKeyName = AffinityCookie,
            Cookie = new SessionAffinityCookieConfig { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true },
        },
        HealthCheck = options.HealthCheckSeconds <= 0 ? null : new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = TimeSpan.FromSeconds(options.HealthCheckSeconds),
                Timeout = TimeSpan.FromSeconds(Math.Max(2, options.HealthCheckSeconds)),
                Policy = "ConsecutiveFailures",
                Path = "/health/ready",
            },
        },
        Destinations = options.Destinations
            .Select((address, i) => (address, i))
            .ToDictionary(d => $"recs{d.i + 1}", d => new DestinationConfig { Address = d.address }),
    };
}
