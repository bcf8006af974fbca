using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recs.Proxy;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Recs.Tests.Web.MultiInstance;

/// <summary>
/// Recs.Proxy for real (Kestrel on loopback, its own configuration) in front of two small loopback backends that stand
/// in for Recs instances: they answer <c>/health/ready</c> as Recs does, say who they are, and echo over a WebSocket. The
/// Recs side of the same path (a Blazor circuit through the proxy) is <see cref="ProxyTests"/>.
/// </summary>
public sealed class ProxyFailoverTests
{
    [Fact]
    public async Task AClientStaysOnItsBackendItsWebSocketPassesThroughAndWhenThatBackendDiesItIsSentToTheOther()
    {
        await using var one = await Backend.StartAsync("one");
        await using var two = await Backend.StartAsync("two");
        await using var proxy = ProxyProgram.Build([], b =>
        {
            b.WebHost.UseSetting("urls", "http://127.0.0.1:0");
            b.Logging.ClearProviders();
            b.Configuration["Proxy:Destinations:0"] = one.Address.ToString();
            b.Configuration["Proxy:Destinations:1"] = two.Address.ToString();
            b.Configuration["Proxy:HealthCheckSeconds"] = "1";
        });
        await proxy.StartAsync();
        var address = Address(proxy);

        // Affinity: each client (a cookie jar) is answered by one backend every time; clients spread over both.
        var clients = Enumerable.Range(0, 12).Select(_ => new Client(address)).ToList();
        try
        {
            var first = new Dictionary<Client, string>();
            foreach (var client in clients)
            {
                first[client] = await client.WhoAsync();
                for (var i = 0; i < 4; i++)
                {
                    Assert.Equal(first[client], await client.WhoAsync());
                }

                Assert.Contains(client.Cookies.GetCookies(address), c => c.Name == ProxyProgram.AffinityCookie);
            }

            Assert.Equal(["one", "two"], first.Values.Distinct().Order());

            // A WebSocket upgrade through the proxy reaches the client's backend and carries messages both ways.
            var onOne = first.First(p => p.Value == "one").Key;
            using (var socket = new ClientWebSocket())
            {
                socket.Options.Cookies = onOne.Cookies;
                await socket.ConnectAsync(new Uri($"ws://{address.Authority}/echo"), CancellationToken.None);
                Assert.Equal("one: hello", await socket.EchoAsync("hello"));
                Assert.Equal("one: again", await socket.EchoAsync("again"));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }

            // Backend one dies. Once the proxy's probe of /health/ready has seen it (an event, awaited with a generous
            // bound), its clients are answered by two, and stay there.
            await one.DisposeAsync();
            await UntilUnhealthyAsync(proxy, "recs1");

            Assert.Equal("two", await onOne.WhoAsync());
            Assert.Equal("two", await onOne.WhoAsync());
            foreach (var client in clients)
            {
                Assert.Equal("two", await client.WhoAsync());
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            await proxy.StopAsync();
        }
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Waits until the proxy's active health check marks <paramref name="destination"/> unhealthy (at most 30 s).</summary>
    private static async Task UntilUnhealthyAsync(WebApplication proxy, string destination)
    {
        var lookup = proxy.Services.GetRequiredService<IProxyStateLookup>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(lookup.TryGetCluster("recs", out var cluster)
                 && cluster.Destinations.TryGetValue(destination, out var state)
                 && state.Health.Active == DestinationHealth.Unhealthy))
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>A browser: its own cookie jar (the affinity cookie), no redirects.</summary>
    private sealed class Client : IDisposable
    {
        private readonly HttpClient _http;

        public Client(Uri address) =>
            _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = address };

        public CookieContainer Cookies { get; } = new();

        public async Task<string> WhoAsync()
        {
            using var response = await _http.GetAsync("/who");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        public void Dispose() => _http.Dispose();
    }

    /// <summary>A stand-in Recs instance on loopback.</summary>
    private sealed class Backend : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private bool _disposed;

        private Backend(WebApplication app, Uri address) => (_app, Address) = (app, address);

        public Uri Address { get; }

        public static async Task<Backend> StartAsync(string name)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.UseWebSockets();
            app.MapGet("/health/ready", () => "Healthy");
            app.MapGet("/who", () => name);
            app.Map("/echo", async (HttpContext context) =>
            {
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    return;
                }

                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }

                    var reply = Encoding.UTF8.GetBytes($"{name}: {Encoding.UTF8.GetString(buffer, 0, received.Count)}");
                    await socket.SendAsync(reply, WebSocketMessageType.Text, true, context.RequestAborted);
                }
            });
            await app.StartAsync();
            return new Backend(app, Address(app));
        }

        public async ValueTask DisposeAsync()
        {
            if (!_disposed)
            {
                _disposed = true;
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
        }
    }
}

internal static class WebSocketEcho
{
    public static async Task<string> EchoAsync(this ClientWebSocket socket, string text)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }
}
