using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Recs.Tests.TestSupport;

/// <summary>
/// The real app with its own data directory (SQLite file, real migrations). <see cref="StartKestrel"/> serves it on a
/// loopback port for browser tests; otherwise the in-memory test server is used.
/// </summary>
public class RecsWebFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _dataDir = new();
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Recs:SeedDemo"] = "false",
    };

    public string DataDirectory => _dataDir.Path;

    /// <summary>Sets a configuration value before the host starts.</summary>
    public RecsWebFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Starts the app on Kestrel on a free loopback port and returns its base address.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Recs:DataDirectory", _dataDir.Path);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _dataDir.Dispose();
        }
    }
}
