using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Recs.Tests.TestSupport;

/// <summary>
/// The real app with its own data directory (SQLite file, real migrations). <see cref="StartKestrel"/> serves it on a
/// loopback port for browser tests; otherwise the in-memory test server is used.
/// </summary>
public class RecsWebFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory? _ownedDataDir;
    private readonly string _dataDirectory;
    private readonly List<Action<IServiceCollection>> _services = [];
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Recs:SeedDemo"] = "false",
    };

    /// <summary>The app on a fresh temporary data directory, deleted when the factory is disposed.</summary>
    public RecsWebFactory()
    {
        _ownedDataDir = new TempDirectory();
        _dataDirectory = _ownedDataDir.Path;
    }

    /// <summary>
    /// The app on an existing data directory, which outlives the factory: start a second factory on the same directory
    /// to test what a restart does.
    /// </summary>
    public RecsWebFactory(string dataDirectory)
    {
        _dataDirectory = dataDirectory;
    }

    public string DataDirectory => _dataDirectory;

    /// <summary>Changes services after the app registered its own (e.g. a scripted job handler, a fake clock).</summary>
    public RecsWebFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

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
        builder.UseSetting("Recs:DataDirectory", _dataDirectory);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _ownedDataDir?.Dispose();
        }
    }
}
