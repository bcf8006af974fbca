using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Recs.Tests.TestSupport;
using Recs.Web;

namespace Recs.Tests.Web;

public sealed partial class ListenAddressTests
{
    /// <summary>
    /// The app published as the Dockerfile publishes it (<c>dotnet publish … -p:PlaywrightPlatform=none</c>; here from the
    /// test run's own build, <c>--no-build</c>, instead of a second compilation in Release) and started as the container
    /// starts it (<c>dotnet Recs.Web.dll</c> in the publish folder, Production, <c>ASPNETCORE_URLS=http://0.0.0.0:PORT</c>,
    /// <c>Recs__DataDirectory</c>) listens where <c>ASPNETCORE_URLS</c> says and answers there, static files included.
    /// A free port stands in for 8080 so the test cannot collide.
    /// </summary>
    [Fact]
    public async Task StartedAsTheContainerStartsItTheAppListensOnAspNetCoreUrls()
    {
        using var published = new TempDirectory();
        var dll = Path.Combine(await PublishAsync(published.Path), "Recs.Web.dll");
        Assert.True(File.Exists(dll), $"the published app is missing: {dll}");
        using var data = new TempDirectory();
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) && k != "DOTNET_ROOT").ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_URLS"] = $"http://0.0.0.0:{port}";
        start.Environment["Recs__DataDirectory"] = data.Path;
        start.Environment["Recs__SeedDemo"] = "false";
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var app = new Process { StartInfo = start };
        app.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } m)
            {
                listening.TrySetResult(m.Groups[1].Value.Trim());
            }
        };
        app.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        app.Start();
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        try
        {
            var exited = app.WaitForExitAsync();
            var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromMinutes(3)));
            Assert.True(first == listening.Task, "the app did not report where it listens:\n" + string.Join('\n', output));

            Assert.Equal($"http://0.0.0.0:{port}", await listening.Task);
            using var http = new HttpClient();
            var health = await http.GetAsync($"http://127.0.0.1:{port}/health");
            Assert.True(health.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"/health answered {health.StatusCode}");
            var css = await http.GetAsync($"http://127.0.0.1:{port}/app.css");
            Assert.True(css.StatusCode == HttpStatusCode.OK, $"/app.css from the published output answered {css.StatusCode}");
        }
        finally
        {
            if (!app.HasExited)
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync();
            }
        }
    }

    [Fact]
    public void WithoutAConfiguredAddressTheAppListensOnTheLoopbackDefault()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Configuration["urls"] = null;
        builder.Configuration["http_ports"] = null;
        builder.Configuration["https_ports"] = null;

        builder.UseLocalListenAddressByDefault();

        Assert.Equal("http://127.0.0.1:5032", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Theory]
    [InlineData("urls", "http://0.0.0.0:8080")]
    [InlineData("http_ports", "8080")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:9000")]
    public void AConfiguredAddressIsNeverReplacedByTheDefault(string key, string value)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Configuration["urls"] = null;
        builder.Configuration[key] = value;

        builder.UseLocalListenAddressByDefault();

        Assert.NotEqual("http://127.0.0.1:5032", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    /// <summary>Publishes Recs.Web from this test run's build into <paramref name="output"/>, as the Dockerfile does.</summary>
    private static async Task<string> PublishAsync(string output)
    {
        var buildOutput = new DirectoryInfo(WebBuildOutput());
        var configuration = buildOutput.Parent!.Name;
        var project = Path.Combine(buildOutput.Parent!.Parent!.Parent!.FullName, "Recs.Web.csproj");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "publish", project, "-c", configuration, "--no-build", "-o", output, "-p:PlaywrightPlatform=none", "-nologo", "-v", "q" })
        {
            start.ArgumentList.Add(a);
        }

        // The test host's MSBuild variables would point the inner publish at this test run's build session.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var publish = Process.Start(start)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(publish.ExitCode == 0, $"dotnet publish exited with {publish.ExitCode}:\n{await stdout}{await stderr}");
        return output;
    }

    private static string WebBuildOutput()
    {
        // Recs.Tests/bin/<Configuration>/net10.0 → Recs.Web/bin/<Configuration>/net10.0
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "Recs.Web", "bin", configuration, framework);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Now listening on: (\S+)")]
    private static partial Regex ListeningLine();
}
