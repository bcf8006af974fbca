using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Recs.Tests.TestSupport.Postgres;

/// <summary>
/// The PostgreSQL server the tests use (ADR-150 "Tests"), found in this order:
/// <list type="number">
/// <item><c>RECS_TEST_POSTGRES</c>: a connection string to a running server whose user may create databases
/// (<c>.ci/run</c> starts one and sets it);</item>
/// <item>else a private server started once per test run from <c>/usr/lib/postgresql/15/bin</c> (initdb/pg_ctl as the
/// <c>postgres</c> user into a temporary directory, on a free loopback port), stopped when the test process exits;</item>
/// <item>else none: tests marked <see cref="PostgresDataAttribute"/>/<see cref="PostgresFactAttribute"/> are skipped —
/// unless <c>CI</c> is set, where a missing PostgreSQL fails them instead.</item>
/// </list>
/// Every test gets a database of its own (<see cref="CreateDatabase"/>), dropped when it is disposed.
/// </summary>
public static class PostgresTestServer
{
    public const string EnvironmentVariable = "RECS_TEST_POSTGRES";
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private static readonly Lazy<string> AdminConnectionString = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Why PostgreSQL tests are skipped here, or null when they run (or must run: CI).</summary>
    public static string? SkipReason { get; } = FindSkipReason();

    /// <summary>A new empty database on the server; disposing it drops the database.</summary>
    public static PostgresTestDatabase CreateDatabase()
    {
        var admin = AdminConnectionString.Value;
        var name = "recs_t_" + Guid.NewGuid().ToString("N")[..20];
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'";
            command.ExecuteNonQuery();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        return new PostgresTestDatabase(name, connectionString, admin);
    }

    private static string? FindSkipReason()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } || File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            return null;
        }

        return IsCi()
            ? null // fail, do not skip: CreateDatabase throws with the reason
            : $"no PostgreSQL: set {EnvironmentVariable} to a connection string, or install PostgreSQL 15 ({BinDirectory})";
    }

    private static bool IsCi() => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "0" && !ci.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
        {
            return given;
        }

        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL tests must run here (CI is set) but there is no PostgreSQL: set {EnvironmentVariable} or install postgresql-15 ({BinDirectory})");
        }

        return PrivateServer.Start();
    }

    /// <summary>A throw-away server owned by this test process.</summary>
    private static class PrivateServer
    {
        private const string Prefix = "recs-pg-";

        public static string Start()
        {
            var asRoot = Environment.UserName == "root";
            ReapOrphans(asRoot);
            var root = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
            Directory.CreateDirectory(root);
            if (asRoot)
            {
                Run("chown", ["postgres:postgres", root], asPostgres: false);
            }

            var data = Path.Combine(root, "data");
            Run(Path.Combine(BinDirectory, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], asRoot);
            var port = FreePort();
            // Throw-away data: no fsync; enough connections for parallel tests, each with its own pool.
            var settings = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
            Run(Path.Combine(BinDirectory, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "server.log"), "-o", settings, "-w", "-t", "60", "start"], asRoot);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(root, asRoot);
            return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=20;Timeout=30";
        }

        /// <summary>
        /// Stops and deletes the servers of earlier test processes that are gone: a test host killed at the end of a run
        /// (or by hand) never runs its ProcessExit handler, which left servers running and 40 MB directories behind.
        /// The directory name carries the owner's process id.
        /// </summary>
        private static void ReapOrphans(bool asRoot)
        {
            foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
            {
                var name = Path.GetFileName(directory)[Prefix.Length..];
                var dash = name.IndexOf('-');
                if (dash <= 0 || !int.TryParse(name[..dash], out var owner) || owner == Environment.ProcessId || IsAlive(owner))
                {
                    continue;
                }

                Stop(directory, asRoot);
            }
        }

        private static bool IsAlive(int processId)
        {
            try
            {
                using var process = Process.GetProcessById(processId);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        /// <summary>Stops the server whose files are in <paramref name="root"/> (if it runs) and deletes them.</summary>
        private static void Stop(string root, bool asRoot)
        {
            var data = Path.Combine(root, "data");
            try
            {
                Run(Path.Combine(BinDirectory, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], asRoot);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static void Run(string file, string[] args, bool asPostgres)
        {
            var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (asPostgres)
            {
                foreach (var a in new[] { "-u", "postgres", "--", file })
                {
                    start.ArgumentList.Add(a);
                }
            }

            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{file} did not finish in 120 s");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
            }
        }
    }
}

/// <summary>One test's PostgreSQL database; dropped (with its pooled connections) on dispose.</summary>
public sealed class PostgresTestDatabase(string name, string connectionString, string adminConnectionString) : IDisposable
{
    public string Name { get; } = name;

    /// <summary>The Npgsql connection string of this database (give it as <c>ConnectionStrings:Recs</c>).</summary>
    public string ConnectionString { get; } = connectionString;

    public void Dispose()
    {
        using (var c = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(c);
        }

        try
        {
            using var connection = new NpgsqlConnection(adminConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)";
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The server may already be stopping at the end of the run.
        }
    }
}

/// <summary>
/// Theory data <c>"postgres"</c> for a provider-parameterised test, skipped when no PostgreSQL is available (see
/// <see cref="PostgresTestServer"/>). Use beside <c>[InlineData("sqlite")]</c>.
/// </summary>
public sealed class PostgresDataAttribute : Xunit.Sdk.DataAttribute
{
    public PostgresDataAttribute() => Skip = PostgresTestServer.SkipReason;

    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) => [["postgres"]];
}

/// <summary>A fact that needs PostgreSQL, skipped when none is available (see <see cref="PostgresTestServer"/>).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresTestServer.SkipReason;
}
