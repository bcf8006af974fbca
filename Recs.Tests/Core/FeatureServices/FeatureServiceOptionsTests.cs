using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Recs.Core.FeatureServices;

namespace Recs.Tests.Core.FeatureServices;

public class FeatureServiceOptionsTests
{
    [Theory]
    [InlineData("FeatureService:Provider", "echonest", "FeatureService:Provider must be one of reccobeats, spotify-compatible, none; got 'echonest'")]
    [InlineData("FeatureService:BatchSize", "41", "FeatureService:BatchSize must be between 1 and 40 for reccobeats")]
    [InlineData("FeatureService:MaxConcurrency", "0", "FeatureService:MaxConcurrency must be between 1 and 64; got 0")]
    [InlineData("FeatureService:MissRetryAfter", "-1.00:00:00", "FeatureService:MissRetryAfter must be a positive time span")]
    [InlineData("FeatureService:BaseUrl", "not a url", "FeatureService:BaseUrl must be an absolute http(s) URL; got 'not a url'")]
    public void Bad_settings_fail_at_start_up_naming_the_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["FeatureService:Provider"] = "reccobeats", [key] = value };
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(settings));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spotify_compatible_needs_a_base_url()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["FeatureService:Provider"] = "spotify-compatible" }));
        Assert.Contains("FeatureService:BaseUrl is required with FeatureService:Provider=spotify-compatible", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_resolve_per_provider()
    {
        var none = Resolve([]);
        Assert.False(none.Enabled);

        var recco = Resolve(new() { ["FeatureService:Provider"] = "ReccoBeats" });
        Assert.Equal(("https://api.reccobeats.com/v1", 40), (recco.ResolvedBaseUrl, recco.EffectiveBatchSize));

        var compatible = Resolve(new() { ["FeatureService:Provider"] = "spotify-compatible", ["FeatureService:BaseUrl"] = "http://127.0.0.1:9/v1/", ["FeatureService:BatchSize"] = "25" });
        Assert.Equal(("http://127.0.0.1:9/v1", 25), (compatible.ResolvedBaseUrl, compatible.EffectiveBatchSize));
    }

    private static FeatureServiceOptions Resolve(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddFeatureServices();
        using var provider = builder.Services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FeatureServiceOptions>>().Value;
    }
}
