using System.Net;
using System.Text.Json;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Web;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task HealthReportsTheDatabaseAndThatNoModelIsActiveOnAFreshDataDirectory()
    {
        await using var factory = new RecsWebFactory();
        using var client = factory.CreateClient();
        await Readiness.WaitUntilReadyAsync(client);

        var response = await client.GetAsync("/health");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Degraded", body.GetProperty("checks").GetProperty("model").GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "recs.db")), "the database file is created in the data directory");
    }
}
