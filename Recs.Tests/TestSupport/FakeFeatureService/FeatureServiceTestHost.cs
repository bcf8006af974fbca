using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recs.Core.FeatureServices;
using Recs.Core.Persistence;

namespace Recs.Tests.TestSupport.FakeFeatureService;

/// <summary>
/// Recs.Core's feature services as the app registers them (real HttpClient pipeline, SQLite file with the real
/// migrations), pointed at a <see cref="FakeFeatureServer"/>.
/// </summary>
public sealed class FeatureServiceTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TempDirectory? _owned;

    private FeatureServiceTestHost(ServiceProvider services, TempDirectory? owned)
    {
        _services = services;
        _owned = owned;
    }

    public IServiceProvider Services => _services;

    public IKnownFeatureLookup Lookup => _services.GetRequiredService<IKnownFeatureLookup>();

    public CatalogContributions Contributions => _services.GetRequiredService<CatalogContributions>();

    public FeatureServiceRequestCounter Counter => _services.GetRequiredService<FeatureServiceRequestCounter>();

    public RecsDbContext Db() => _services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContext();

    /// <summary>
    /// <paramref name="provider"/> is <c>reccobeats</c>, <c>spotify-compatible</c> or <c>none</c>; retries are fast
    /// (10 ms base delay) so 5xx tests do not wait. Pass <paramref name="dataDirectory"/> to share a database between hosts.
    /// </summary>
    public static async Task<FeatureServiceTestHost> StartAsync(FakeFeatureServer fake, string provider, Dictionary<string, string?>? settings = null,
        TimeProvider? time = null, string? dataDirectory = null)
    {
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var config = new Dictionary<string, string?>
        {
            ["Recs:DataDirectory"] = dataDirectory ?? owned!.Path,
            ["FeatureService:Provider"] = provider,
            ["FeatureService:BaseUrl"] = provider == FeatureServiceProviders.SpotifyCompatible ? fake.SpotifyCompatibleBaseUrl : fake.ReccoBeatsBaseUrl,
            ["FeatureService:RetryBaseDelay"] = "00:00:00.010",
        };
        foreach (var (k, v) in settings ?? [])
        {
            config[k] = v;
        }

        builder.Configuration.AddInMemoryCollection(config);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddRecsPersistence();
        builder.AddFeatureServices();
        var services = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await services.MigrateRecsDatabaseAsync();
        return new FeatureServiceTestHost(services, owned);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _owned?.Dispose();
    }
}
