using System.Text.Json;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Web;

public sealed class HealthModelTests
{
    [Fact]
    public async Task HealthReportsTheLoadedActiveModel()
    {
        await using var factory = new RecsWebFactory();
        var models = new TestModels(new DataDirectoryDatabase(factory.DataDirectory).Migrate(), factory.DataDirectory);
        var version = await models.CreateVersionAsync(4);
        await models.Registry.ActivateAsync(version.Id);
        using var client = factory.CreateClient();
        await Readiness.WaitUntilReadyAsync(client);

        var body = JsonDocument.Parse(await client.GetStringAsync("/health")).RootElement;

        var model = body.GetProperty("checks").GetProperty("model");
        Assert.Equal("Healthy", model.GetProperty("status").GetString());
        Assert.Equal(version.Id, model.GetProperty("data").GetProperty("model_version").GetString());
        Assert.Equal(4, model.GetProperty("data").GetProperty("k").GetInt32());
    }
}
