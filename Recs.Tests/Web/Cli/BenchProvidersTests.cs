using System.Text.Json;
using Npgsql;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Postgres;
using Recs.Web.Cli;

namespace Recs.Tests.Web.Cli;

/// <summary>
/// <c>bench --providers</c> on a small synthetic catalog (its figures are not checked: no timed tests). What is checked
/// is that both providers ran the same steps to the same counts, and that without PostgreSQL it says so and still runs.
/// </summary>
public sealed class BenchProvidersTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var data = _dir.File("shared-data");
        Directory.CreateDirectory(Path.Combine(data, "catalog"));
        BenchVerb.WriteSyntheticCatalog(Path.Combine(data, "catalog", "kaggle_tracks_subset.csv"), 600);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliRunner.RunAsync(["bench", "--providers", "--tracks", "100", "--data", data, "--data-dir", _dir.File("cli"), .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task WithoutAConnectionStringPostgresIsSkippedWithAMessageAndSqliteStillRuns()
    {
        var (code, output, error) = await RunAsync();

        Assert.True(code == 0, error);
        Assert.Contains("PostgreSQL skipped: no ConnectionStrings:Recs configured", output);
        Assert.Matches(@"import again: tracks unchanged\s+600\s+skipped", output);
    }

    [PostgresFact]
    public async Task BothProvidersImportTrainAndServeTheClustersApiToTheSameCountsInATemporaryDatabase()
    {
        using var server = PostgresTestServer.CreateDatabase();

        var (code, output, error) = await RunAsync("--json", $"--ConnectionStrings:Recs={server.ConnectionString}");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var providers = json.RootElement.GetProperty("providers");
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("postgres_skipped").ValueKind);
        foreach (var name in new[] { "sqlite", "postgres" })
        {
            var run = providers.GetProperty(name);
            Assert.Equal(600, run.GetProperty("rows_read").GetInt32());
            Assert.Equal(600, run.GetProperty("tracks_new").GetInt32());
            Assert.Equal(600, run.GetProperty("reimport_unchanged").GetInt32());
            Assert.Equal(600, run.GetProperty("train_tracks").GetInt32());
            Assert.True(run.GetProperty("clusters").GetInt32() > 0, name);
        }

        // The temporary database is gone; the configured one was never written to.
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM pg_database WHERE datname LIKE 'recs_bench_%') + (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')";
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
