using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Recs.Proxy;
using Recs.Tests.TestSupport.MultiInstance;
using Recs.Tests.TestSupport.Postgres;

namespace Recs.Tests.Web.MultiInstance;

/// <summary>The deployment's load balancer (Recs.Proxy, YARP) in front of two real Recs hosts on one PostgreSQL database.</summary>
public sealed class ProxyTests
{
    private const string ClientHeader = "X-Test-Client";

    [PostgresFact]
    public async Task EachBrowserSessionStaysOnOneInstanceBothInstancesServeAndTheBlazorWebSocketPassesThrough()
    {
        var served = new ConcurrentDictionary<string, ConcurrentBag<int>>();
        var index = 0;
        await using var recs = await RecsInstances.StartAsync(2, f =>
        {
            var me = Interlocked.Increment(ref index) - 1;
            f.WithServices(s => s.AddSingleton<IStartupFilter>(new Recorder(me, served)));
        });
        await using var proxy = ProxyProgram.Build([], b =>
        {
            b.WebHost.UseSetting("urls", "http://127.0.0.1:0");
            b.Configuration["Proxy:Destinations:0"] = recs[0].BaseAddress.ToString();
            b.Configuration["Proxy:Destinations:1"] = recs[1].BaseAddress.ToString();
            b.Configuration["Proxy:HealthCheckSeconds"] = "1";
        });
        await proxy.StartAsync();
        var address = new Uri(proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        // Browser sessions (a cookie jar each) until both instances have served one (bounded).
        for (var session = 0; session < 30 && served.Values.SelectMany(v => v).Distinct().Count() < 2; session++)
        {
            var cookies = new CookieContainer();
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = address };
            http.DefaultRequestHeaders.Add(ClientHeader, $"session{session}");
            for (var i = 0; i < 6; i++)
            {
                using var response = await http.GetAsync("/health/live");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.Contains(cookies.GetCookies(address), c => c.Name == ProxyProgram.AffinityCookie);
        }

        Assert.All(served, s => Assert.Single(s.Value.Distinct())); // every session on one instance
        Assert.Equal([0, 1], served.Values.SelectMany(v => v).Distinct().Order());

        // A Blazor Server circuit: negotiate over HTTP, then the WebSocket, both through the proxy with one affinity cookie.
        var jar = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = jar }) { BaseAddress = address };
        browser.DefaultRequestHeaders.Add(ClientHeader, "circuit");
        using var negotiate = await browser.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        var token = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = jar;
        socket.Options.SetRequestHeader(ClientHeader, "circuit");
        await socket.ConnectAsync(new Uri($"ws://{address.Authority}/_blazor?id={Uri.EscapeDataString(token!)}"), CancellationToken.None);
        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Single(served["circuit"].Distinct()); // negotiate and socket reached the instance that holds the connection
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await proxy.StopAsync();
    }

    /// <summary>Records which instance served each test client.</summary>
    private sealed class Recorder(int instance, ConcurrentDictionary<string, ConcurrentBag<int>> served) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers[ClientHeader].ToString() is { Length: > 0 } client)
                {
                    served.GetOrAdd(client, _ => []).Add(instance);
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
