using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Recs.Core;
using Recs.Core.Accounts;
using Recs.Core.Catalog;
using Recs.Core.Libraries;
using Recs.Core.Persistence;
using Recs.Core.Prediction.Training;
using Recs.Web.Libraries;

namespace Recs.Web.Cli;

/// <summary>
/// <c>bench --providers [--postgres-first] [--tracks N] [--data DIR] [--json]</c> (issue 14): the same steps on SQLite and on PostgreSQL,
/// one provider after the other in one process, printed side by side. Each provider gets a private store (a temporary
/// data directory; on PostgreSQL a temporary database created on the server of <c>ConnectionStrings:Recs</c> and
/// dropped afterwards, so the configured database is never touched) and the real web app on Kestrel (loopback), then:
/// import the Kaggle subset (fresh, then again: nothing changes), train as <c>train</c> does, store an N-track library
/// for the demo listener, and time <c>POST /api/clusters</c> through HTTP with the listener's cookie — uncached (the
/// library read from the database and clustered) and cached. Without a connection string PostgreSQL is skipped with a
/// message saying how to give one.
/// </summary>
internal static partial class ProvidersBench
{
    private const int ApiCalls = 5;

    public static async Task<int> RunAsync(CliArgs args, IConfiguration configuration, CliOutput output, CancellationToken cancellationToken)
    {
        var libraryTracks = args.Int("tracks", 10_000, 10, 100_000);
        var sharedData = args.Get("data") is { } d ? Path.GetFullPath(d) : BenchVerb.FindSharedData();
        var kaggle = sharedData is null ? null : Path.Combine(sharedData, "catalog", "kaggle_tracks_subset.csv");
        var real = kaggle is not null && File.Exists(kaggle);
        var temp = BenchVerb.CreateTemporaryDirectory("recs-bench-providers-");
        try
        {
            var catalog = real ? kaggle! : BenchVerb.WriteSyntheticCatalog(Path.Combine(temp, "synthetic_catalog.csv"), 20_000);
            var runs = new List<ProviderRun>();
            var server = configuration.GetConnectionString(PersistenceExtensions.ConnectionStringName);
            string? skipped = null;
            if (string.IsNullOrWhiteSpace(server))
            {
                server = null;
                skipped = "PostgreSQL skipped: no ConnectionStrings:Recs configured. Give the server to measure on (the bench creates and drops a " +
                          "temporary database there; its user needs CREATEDB), e.g. \"--ConnectionStrings:Recs=Host=127.0.0.1;Port=5432;Username=postgres\" or ConnectionStrings__Recs=…";
            }

            // The first provider also pays the process's first JIT of the importer, trainer and API: --postgres-first swaps them.
            var postgresFirst = args.Flag("postgres-first");
            foreach (var provider in postgresFirst ? new[] { RecsDatabaseOptions.Postgres, RecsDatabaseOptions.Sqlite } : [RecsDatabaseOptions.Sqlite, RecsDatabaseOptions.Postgres])
            {
                if (provider == RecsDatabaseOptions.Sqlite)
                {
                    output.Progress($"sqlite: {(real ? "the real Kaggle subset" : "a synthetic catalog")}, a {libraryTracks:N0}-track library…");
                    runs.Add(await RunProviderAsync(provider, null, Path.Combine(temp, "sqlite"), catalog, libraryTracks, output, cancellationToken));
                }
                else if (server is not null)
                {
                    output.Progress("postgres: the same steps in a temporary database…");
                    await using var database = await TemporaryDatabase.CreateAsync(server, cancellationToken);
                    runs.Add(await RunProviderAsync(provider, database.ConnectionString, Path.Combine(temp, "postgres"), catalog, libraryTracks, output, cancellationToken));
                }
            }

            var result = new ProvidersJson(real ? "real" : "synthetic", Path.GetFileName(catalog), Environment.ProcessorCount, libraryTracks,
                runs.ToDictionary(r => r.Provider), skipped, runs[0].Provider);
            output.Result(result);
            WriteTable(output, result);
            return 0;
        }
        finally
        {
            BenchVerb.DeleteTemporaryDirectory(temp);
        }
    }

    private static async Task<ProviderRun> RunProviderAsync(
        string provider, string? connectionString, string dataDirectory, string catalogFile, int libraryTracks, CliOutput output, CancellationToken cancellationToken)
    {
        string[] settings =
        [
            $"--Recs:DataDirectory={dataDirectory}", $"--Recs:Database:Provider={provider}", "--Recs:SeedDemo=false", "--Recs:DemoSignIn=true",
            "--FeatureService:Provider=none", "--urls=http://127.0.0.1:0", "--environment=Production",
            // The app's own name, also when the bench runs inside another process (tests): its static assets manifest is named after it.
            $"--applicationName={typeof(RecsWebApp).Assembly.GetName().Name}",
            .. connectionString is null ? Array.Empty<string>() : [$"--ConnectionStrings:{PersistenceExtensions.ConnectionStringName}={connectionString}"],
        ];
        var app = RecsWebApp.Build(settings, b => b.Logging.ClearProviders());
        await using var appLifetime = app;
        await RecsWebApp.PrepareAsync(app);
        await app.StartAsync(cancellationToken);
        var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var importer = app.Services.GetRequiredService<CatalogImporter>();

        var sw = Stopwatch.StartNew();
        var first = await importer.ImportFileAsync(catalogFile, null, cancellationToken);
        var importSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var again = await importer.ImportFileAsync(catalogFile, null, cancellationToken);
        var reimportSeconds = sw.Elapsed.TotalSeconds;
        output.Progress($"  {provider}: imported {first.TracksImported:N0} tracks in {importSeconds:0.0} s, again in {reimportSeconds:0.0} s; training…");

        sw.Restart();
        var training = await app.Services.GetRequiredService<RecsTrainer>().TrainAsync(new RecsTrainingRequest { CreatedBy = "bench" }, null, cancellationToken);
        var trainSeconds = sw.Elapsed.TotalSeconds;

        // The bench's library, as `bench`'s cluster 10k: one track in 25 from the catalog by id, the rest predicted.
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>();
        var (data, _) = await CatalogTrainingData.LoadAsync(dbFactory, cancellationToken);
        var library = BenchVerb.MixedLibrary(data, libraryTracks);
        sw.Restart();
        await app.Services.GetRequiredService<UserLibraryStore>().SaveAsync(UserAccount.DemoAccountId, LibrarySource.Upload, library, fileName: "bench.csv",
            cancellationToken: cancellationToken);
        var storeSeconds = sw.Elapsed.TotalSeconds;

        output.Progress($"  {provider}: trained in {trainSeconds:0.0} s; POST /api/clusters…");
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        await SignInAsDemoAsync(http, cancellationToken);
        var cache = app.Services.GetRequiredService<LibraryService>();
        var uncached = new List<double>();
        var cached = new List<double>();
        var clusters = 0;
        for (var i = 0; i < ApiCalls; i++)
        {
            cache.Clear();
            (var ms, clusters) = await PostClustersAsync(http, libraryTracks, cancellationToken);
            uncached.Add(ms);
        }

        for (var i = 0; i < ApiCalls; i++)
        {
            cached.Add((await PostClustersAsync(http, libraryTracks, cancellationToken)).Milliseconds);
        }

        await app.StopAsync(cancellationToken);
        return new ProviderRun(
            provider,
            first.RowsRead,
            first.TracksImported,
            first.TracksNew,
            again.TracksUnchanged,
            Math.Round(importSeconds, 2),
            Math.Round(first.RowsRead / importSeconds),
            Math.Round(reimportSeconds, 2),
            training.TrainingTracks,
            Math.Round(trainSeconds, 1),
            Math.Round(storeSeconds, 2),
            clusters,
            Math.Round(uncached[0], 1),
            Math.Round(Median(uncached), 1),
            Math.Round(Median(cached), 1));
    }

    /// <summary>The demo sign-in as a browser does it: the sign-in page's form with its antiforgery token.</summary>
    private static async Task SignInAsDemoAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var html = await http.GetStringAsync("/signin", cancellationToken);
        var token = AntiforgeryInput().Match(html) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups["value"].Value)
            : throw new InvalidOperationException("the sign-in page rendered no antiforgery token");
        using var response = await http.PostAsync("/authentication/demo",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["returnUrl"] = "/" }), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != "/")
        {
            throw new InvalidOperationException($"the demo sign-in answered {(int)response.StatusCode} → {response.Headers.Location}");
        }
    }

    private static async Task<(double Milliseconds, int Clusters)> PostClustersAsync(HttpClient http, int libraryTracks, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/clusters") { Content = JsonContent.Create(new { use_recs_model = true }) };
        request.Headers.Add("X-Recs-Api", "1");
        var sw = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var ms = sw.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST /api/clusters answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        var total = json.RootElement.GetProperty("coverage").GetProperty("total").GetInt32();
        if (total != libraryTracks)
        {
            throw new InvalidOperationException($"POST /api/clusters covered {total} tracks, not the library's {libraryTracks}");
        }

        return (ms, json.RootElement.GetProperty("clusters").GetArrayLength());
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void WriteTable(CliOutput output, ProvidersJson result)
    {
        var sqlite = result.Providers[RecsDatabaseOptions.Sqlite];
        result.Providers.TryGetValue(RecsDatabaseOptions.Postgres, out var pg);
        output.Line($"Bench of the database providers on {result.Data} data ({result.Catalog}), {result.Cores} cores, one process, {(result.RanFirst == RecsDatabaseOptions.Sqlite ? "SQLite" : "PostgreSQL")} first");
        output.Line(string.Create(CultureInfo.InvariantCulture, $"  {"",-46} {"sqlite",14} {"postgres",14}"));
        void Row(string label, Func<ProviderRun, string> value) =>
            output.Line(string.Create(CultureInfo.InvariantCulture, $"  {label,-46} {value(sqlite),14} {(pg is null ? "skipped" : value(pg)),14}"));
        Row("import: rows read / tracks imported", r => $"{r.RowsRead:N0}/{r.TracksImported:N0}");
        Row("import, fresh database (s)", r => r.ImportSeconds.ToString("0.00", CultureInfo.InvariantCulture));
        Row("import, fresh database (rows/s)", r => r.ImportRowsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        Row("import again: tracks unchanged", r => r.ReimportUnchanged.ToString("N0", CultureInfo.InvariantCulture));
        Row("import again (s)", r => r.ReimportSeconds.ToString("0.00", CultureInfo.InvariantCulture));
        Row("train, as `train` does (s)", r => r.TrainSeconds.ToString("0.0", CultureInfo.InvariantCulture));
        Row($"store a {result.LibraryTracks:N0}-track library (s)", r => r.StoreLibrarySeconds.ToString("0.00", CultureInfo.InvariantCulture));
        Row($"POST /api/clusters uncached, first (ms)", r => r.ClustersApiFirstMs.ToString("0.0", CultureInfo.InvariantCulture));
        Row($"POST /api/clusters uncached, median of {ApiCalls} (ms)", r => r.ClustersApiUncachedMedianMs.ToString("0.0", CultureInfo.InvariantCulture));
        Row($"POST /api/clusters cached, median of {ApiCalls} (ms)", r => r.ClustersApiCachedMedianMs.ToString("0.0", CultureInfo.InvariantCulture));
        if (result.PostgresSkipped is { } reason)
        {
            output.Line(reason);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryInput();

    /// <summary>A database of its own on the configured server, dropped (with its connections) when disposed.</summary>
    private sealed class TemporaryDatabase : IAsyncDisposable
    {
        private readonly string _server;
        private readonly string _name;

        private TemporaryDatabase(string server, string name, string connectionString) => (_server, _name, ConnectionString) = (server, name, connectionString);

        public string ConnectionString { get; }

        public static async Task<TemporaryDatabase> CreateAsync(string server, CancellationToken cancellationToken)
        {
            var name = "recs_bench_" + Guid.NewGuid().ToString("N")[..16];
            await using (var connection = new NpgsqlConnection(server))
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = $"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new TemporaryDatabase(server, name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)";
            await command.ExecuteNonQueryAsync();
        }
    }

    private sealed record ProviderRun(
        string Provider,
        int RowsRead,
        int TracksImported,
        int TracksNew,
        int ReimportUnchanged,
        double ImportSeconds,
        double ImportRowsPerSecond,
        double ReimportSeconds,
        int TrainTracks,
        double TrainSeconds,
        double StoreLibrarySeconds,
        int Clusters,
        double ClustersApiFirstMs,
        double ClustersApiUncachedMedianMs,
        double ClustersApiCachedMedianMs);

    private sealed record ProvidersJson(
        string Data, string Catalog, int Cores, int LibraryTracks, Dictionary<string, ProviderRun> Providers, string? PostgresSkipped, string RanFirst);
}
