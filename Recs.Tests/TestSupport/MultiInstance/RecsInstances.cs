using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport.Postgres;

namespace Recs.Tests.TestSupport.MultiInstance;

/// <summary>
/// Several real Recs hosts on Kestrel (loopback, port 0) sharing one PostgreSQL database (a database of its own on
/// <see cref="PostgresTestServer"/>), each with its own data directory — the deployment of issue 14 in one test
/// process. Use with <see cref="PostgresFactAttribute"/>:
/// <code>
/// await using var recs = await RecsInstances.StartAsync(2);
/// using var a = recs[0].Client(); using var b = recs[1].Client();
/// </code>
/// <see cref="Configure"/> changes every instance (a setting, a service) before it starts; instances can also be
/// started later (<see cref="AddAsync"/>) or stopped (<see cref="RecsInstance.StopAsync"/>, e.g. to test a takeover).
/// </summary>
public sealed class RecsInstances : IAsyncDisposable
{
    private readonly List<RecsInstance> _instances = [];
    private readonly List<Action<RecsWebFactory>> _configure = [];

    private RecsInstances(PostgresTestDatabase database) => Database = database;

    /// <summary>The shared database (its connection string, for a CLI run or direct reads).</summary>
    public PostgresTestDatabase Database { get; }

    public IReadOnlyList<RecsInstance> Instances => _instances;

    public RecsInstance this[int index] => _instances[index];

    /// <summary>
    /// A new empty database and <paramref name="count"/> instances started at the same time (in parallel, as a deployment
    /// starts them: migrations and demo seeding race for real). <paramref name="configure"/> applies to each.
    /// </summary>
    public static async Task<RecsInstances> StartAsync(int count = 2, Action<RecsWebFactory>? configure = null)
    {
        var recs = new RecsInstances(PostgresTestServer.CreateDatabase());
        if (configure is not null)
        {
            recs._configure.Add(configure);
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(_ => recs.AddAsync()));
        }
        catch
        {
            await recs.DisposeAsync();
            throw;
        }

        return recs;
    }

    /// <summary>Applies to instances started from now on.</summary>
    public RecsInstances Configure(Action<RecsWebFactory> configure)
    {
        _configure.Add(configure);
        return this;
    }

    /// <summary>Starts one more instance on the shared database with a fresh data directory.</summary>
    public async Task<RecsInstance> AddAsync()
    {
        var factory = new RecsWebFactory()
            .With("Recs:Database:Provider", "postgres")
            .With("ConnectionStrings:Recs", Database.ConnectionString)
            .With("Recs:Models:PollInterval", "00:00:00.500");
        foreach (var configure in _configure)
        {
            configure(factory);
        }

        var instance = new RecsInstance(factory);
        lock (_instances)
        {
            _instances.Add(instance);
        }

        await Task.Run(instance.Start);
        return instance;
    }

    /// <summary>A context on the shared database.</summary>
    public RecsDbContext CreateDbContext() => _instances[0].Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.StopAsync();
        }

        Database.Dispose();
    }
}

/// <summary>One Recs host of <see cref="RecsInstances"/>.</summary>
public sealed partial class RecsInstance(RecsWebFactory factory)
{
    private int _stopped;

    public RecsWebFactory Factory { get; } = factory;

    /// <summary>Its Kestrel address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public string DataDirectory => Factory.DataDirectory;

    public IServiceProvider Services => Factory.Services;

    internal void Start() => BaseAddress = Factory.StartKestrel();

    /// <summary>A real HTTP client to this instance (own cookie jar, no redirects followed).</summary>
    public HttpClient Client(CookieContainer? cookies = null) => new(new HttpClientHandler
    {
        AllowAutoRedirect = false,
        CookieContainer = cookies ?? new CookieContainer(),
        UseCookies = true,
    })
    { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };

    /// <summary>
    /// Signs the demo listener in through the sign-in page's form; returns the session cookie (<c>recs.auth=…</c>) to
    /// send to any instance.
    /// </summary>
    public async Task<string> SignInAsDemoAsync()
    {
        var cookies = new CookieContainer();
        using var http = Client(cookies);
        var html = await http.GetStringAsync("/signin");
        var token = AntiforgeryInput().Match(html);
        Assert.True(token.Success, "/signin renders no antiforgery token (is the demo sign-in offered?)");
        var response = await http.PostAsync("/authentication/demo", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = cookies.GetCookies(BaseAddress).Where(c => c.Name.StartsWith("recs.auth", StringComparison.Ordinal)).ToList();
        Assert.True(auth.Count > 0, $"no session cookie after the demo sign-in (redirected to {response.Headers.Location})");
        return string.Join("; ", auth.Select(c => $"{c.Name}={c.Value}"));
    }

    /// <summary>Stops the host (Kestrel, hosted services) and deletes its data directory; idempotent.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await Factory.DisposeAsync();
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}
