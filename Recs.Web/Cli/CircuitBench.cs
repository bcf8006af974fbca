using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Recs.Core.Accounts;
using Recs.Core.Demo;
using Recs.Core.Libraries;
using Recs.Web.Authentication;
using Recs.Web.Components;
using Recs.Web.Demo;
using Recs.Web.Libraries;

namespace Recs.Web.Cli;

/// <summary>
/// <c>bench --circuits N [--tracks N] [--interactions N] [--json]</c> (issue 15): what an open page costs the server.
/// Starts this app in-process on Kestrel (loopback, a private temporary data directory, the demo catalog and model),
/// gives listeners a generated 10,000-track upload and opens real Blazor circuits with headless Chromium through
/// Playwright: N tabs of ONE listener on the library page, then on a cluster page, then N listeners with their own
/// library each on the library page. After each phase it forces a full compacting GC and reports the managed heap and
/// the process RSS per circuit, and p50/p95 of interactions (toggle, sort, filter) timed in the page, from the gesture to
/// the DOM update, with the circuits open. The bench process also hosts Playwright's client (a few KB per page).
/// </summary>
internal static class CircuitBench
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-renderer-backgrounding", "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows"];

    public static async Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken cancellationToken)
    {
        var n = args.Int("circuits", 5, 2, 1000);
        var trackCount = args.Int("tracks", 10_000, 100, 100_000);
        var interactions = args.Int("interactions", 40, 0, 10_000);
        if (!File.Exists(ChromiumPath))
        {
            output.Error.WriteLine($"bench --circuits needs Chromium at {ChromiumPath} (apt-get install -y chromium).");
            return 2;
        }

        var temp = Path.Combine(Path.GetTempPath(), "recs-bench-circuits-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            output.Progress("starting the app on Kestrel and seeding the demo catalog and model…");
            var app = RecsWebApp.Build(
                [$"--Recs:DataDirectory={temp}", "--Recs:SeedDemo=true", "--Demo:Trees=60", "--urls=http://127.0.0.1:0", "--environment=Production",
                 // Room in the clustering cache for every listener's library: the bench measures libraries held, not evicted.
                 $"--Listener:CacheTrackBudget={Math.Max(250_000, (long)trackCount * (n + 1) * 2)}"],
                b => b.Logging.ClearProviders());
            await using var appLifetime = app;
            await RecsWebApp.PrepareAsync(app);
            await app.StartAsync(cancellationToken);
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var clusterer = app.Services.GetRequiredService<IListenerClusterer>();
            var sw = Stopwatch.StartNew();
            while (await clusterer.GetActiveModelVersionAsync(cancellationToken) is null)
            {
                if (sw.Elapsed > TimeSpan.FromMinutes(15))
                {
                    throw new TimeoutException("the demo model was not active after 15 minutes");
                }

                await Task.Delay(1000, cancellationToken);
            }

            output.Progress($"demo model active after {sw.Elapsed.TotalSeconds:0} s");
            var store = app.Services.GetRequiredService<UserLibraryStore>();
            var library = app.Services.GetRequiredService<LibraryService>();
            var counter = app.Services.GetRequiredService<CircuitCounter>();
            var demoTracks = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Tracks;
            var catalog = DemoCatalogGenerator.Generate(trackCount: Math.Max(100, demoTracks));

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath, Args = ChromiumArgs, Headless = true,
            });

            var phases = new List<Phase>();

            // One listener (the demo, signed in through the sign-in page) with a generated upload, N tabs.
            await store.SaveAsync(UserAccount.DemoAccountId, LibrarySource.Upload, DemoLibraryGenerator.Generate(catalog, trackCount, seed: 1), fileName: "bench.csv",
                cancellationToken: cancellationToken);
            var clustering = (await library.GetClusteringAsync(UserAccount.DemoAccountId, true, cancellationToken)).Clustering
                ?? throw new InvalidOperationException("the bench library could not be clustered");
            var clusterId = clustering.Clusters[0].Id;
            var demo = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            demo.SetDefaultTimeout(60_000);
            var signIn = await demo.NewPageAsync();
            await signIn.GotoAsync("/signin?returnUrl=%2F");
            await signIn.Locator("[data-interactive='true']").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await signIn.GetByTestId("signin-demo").ClickAsync();
            await signIn.GetByTestId("user-name").WaitForAsync();
            await signIn.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
            await WaitForCircuitsAsync(counter, 0, cancellationToken);

            var libraryPhase = await MeasurePhaseAsync("one listener, N tabs on the library page", n, counter, output,
                i => OpenAsync(demo, "/library", "library-content"), cancellationToken);
            libraryPhase.Interactions["toggle"] = await TimeAsync(libraryPhase.Pages, interactions, ToggleAsync, output, "toggle");
            phases.Add(libraryPhase);
            await CloseAllAsync(libraryPhase.Pages, counter, cancellationToken);

            var clusterPhase = await MeasurePhaseAsync("one listener, N tabs on a cluster page", n, counter, output,
                i => OpenAsync(demo, $"/clusters/{clusterId}", "track-title"), cancellationToken);
            clusterPhase.Interactions["sort"] = await TimeAsync(clusterPhase.Pages, interactions, SortAsync, output, "sort");
            clusterPhase.Interactions["filter"] = await TimeAsync(clusterPhase.Pages, interactions, FilterAsync, output, "filter");
            phases.Add(clusterPhase);
            await CloseAllAsync(clusterPhase.Pages, counter, cancellationToken);
            await demo.CloseAsync();

            // N listeners, each with their own library (uploaded and clustered before the pages open, so the library data
            // is measured apart from what the pages add).
            var cookieOptions = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
            var accounts = app.Services.GetRequiredService<UserAccountStore>();
            var tokens = app.Services.GetRequiredService<UserTokenStore>();
            var before = Heap();
            for (var i = 0; i < n; i++)
            {
                // A Spotify-style account: signed in (tokens held, never used: the pages opened here do not call Spotify).
                var user = $"bench-listener-{i}";
                await accounts.RecordSignInAsync(user, user, user, null, isDemo: false, cancellationToken);
                await tokens.SaveAsync(user, "bench-access-token", null, DateTimeOffset.UtcNow.AddHours(2), "user-library-read", DateTimeOffset.UtcNow, cancellationToken);
                await store.SaveAsync(user, LibrarySource.Upload, DemoLibraryGenerator.Generate(catalog, trackCount, seed: 100 + i), fileName: "bench.csv",
                    cancellationToken: cancellationToken);
                await library.GetClusteringAsync(user, true, cancellationToken);
            }

            var libraryData = (Heap().Managed - before.Managed) / (double)n;
            output.Progress($"library data: {Mb(libraryData):0.00} MB per listener ({trackCount:N0} tracks, cached clustering)");
            var contexts = new List<IBrowserContext>();
            var listeners = await MeasurePhaseAsync("N listeners with their own library, one tab each", n, counter, output, async i =>
            {
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
                context.SetDefaultTimeout(60_000);
                contexts.Add(context);
                await context.AddCookiesAsync([Cookie(cookieOptions, $"bench-listener-{i}", baseUrl)]);
                return await OpenAsync(context, "/library", "library-content");
            }, cancellationToken);
            listeners.LibraryDataMbPerListener = Math.Round(Mb(libraryData), 3);
            listeners.Interactions["toggle"] = await TimeAsync(listeners.Pages, interactions, ToggleAsync, output, "toggle");
            phases.Add(listeners);
            await CloseAllAsync(listeners.Pages, counter, cancellationToken);
            foreach (var context in contexts)
            {
                await context.CloseAsync();
            }

            var result = new CircuitBenchJson(
                n, trackCount, Environment.ProcessorCount, LoadAverage(), GCSettings.IsServerGC,
                phases.Select(p => p.ToJson()).ToList());
            output.Result(result);
            output.Line($"Circuit bench: {n} circuits per phase, {trackCount:N0}-track libraries, {Environment.ProcessorCount} cores, load {result.LoadAverage}");
            foreach (var p in result.Phases)
            {
                output.Line($"  {p.Phase}");
                output.Line(string.Create(CultureInfo.InvariantCulture,
                    $"    managed heap {p.HeapBaselineMb,8:0.0} MB with 1 → {p.HeapMb,8:0.0} MB with {p.Circuits}: {p.HeapPerCircuitMb:0.000} MB per additional circuit"));
                output.Line(string.Create(CultureInfo.InvariantCulture,
                    $"    RSS          {p.RssBaselineMb,8:0.0} MB with 1 → {p.RssMb,8:0.0} MB with {p.Circuits}: {p.RssPerCircuitMb:0.000} MB per additional circuit"));
                if (p.LibraryDataMbPerListener is { } data)
                {
                    output.Line(string.Create(CultureInfo.InvariantCulture, $"    library data {data:0.000} MB per listener (cached clustering, before any page)"));
                }

                foreach (var (name, t) in p.Interactions)
                {
                    output.Line(string.Create(CultureInfo.InvariantCulture,
                        $"    {name,-7} p50 {t.P50Ms,7:0.0} ms  p95 {t.P95Ms,7:0.0} ms  max {t.MaxMs,7:0.0} ms  ({t.Count} with {p.Circuits} circuits open, {t.Failed} timed out)"));
                }
            }

            await app.StopAsync(cancellationToken);
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; the OS cleans the temp folder.
            }
        }
    }

    private static async Task<Phase> MeasurePhaseAsync(
        string name, int n, CircuitCounter counter, CliOutput output, Func<int, Task<IPage>> open, CancellationToken cancellationToken)
    {
        output.Progress($"{name}: opening 1…");
        var pages = new List<IPage> { await open(0) };
        await WaitForCircuitsAsync(counter, 1, cancellationToken);
        var baseline = Heap();
        for (var i = 1; i < n; i++)
        {
            pages.Add(await open(i));
            if ((i + 1) % 10 == 0)
            {
                output.Progress($"  {i + 1}/{n} open");
            }
        }

        await WaitForCircuitsAsync(counter, n, cancellationToken);
        var full = Heap();
        output.Progress(string.Create(CultureInfo.InvariantCulture,
            $"  heap {Mb(baseline.Managed):0.0} → {Mb(full.Managed):0.0} MB, RSS {Mb(baseline.Rss):0.0} → {Mb(full.Rss):0.0} MB"));
        return new Phase(name, n, baseline, full, pages);
    }

    private static async Task<IPage> OpenAsync(IBrowserContext context, string path, string readyTestId)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.Locator("[data-interactive='true']").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        try
        {
            await page.GetByTestId(readyTestId).First.WaitForAsync();
        }
        catch (TimeoutException e)
        {
            var text = await page.InnerTextAsync("body");
            throw new TimeoutException($"{path} did not show {readyTestId}: at {page.Url}, the page shows: {text[..Math.Min(text.Length, 600)]}", e);
        }

        return page;
    }

    private static async Task CloseAllAsync(List<IPage> pages, CircuitCounter counter, CancellationToken cancellationToken)
    {
        foreach (var page in pages)
        {
            await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        }

        pages.Clear();
        await WaitForCircuitsAsync(counter, 0, cancellationToken);
    }

    // A closed page ends its circuit through Blazor's unload beacon; wait until the server has seen them all.
    private static async Task WaitForCircuitsAsync(CircuitCounter counter, int expected, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        while (counter.Open != expected && sw.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(100, cancellationToken);
        }

        if (counter.Open != expected)
        {
            throw new InvalidOperationException($"expected {expected} open circuits, the server holds {counter.Open}");
        }
    }

    private static (long Managed, long Rss) Heap()
    {
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    // Times K gestures spread round-robin over the open pages, one at a time: from the gesture to the DOM update.
    private static async Task<Timings> TimeAsync(List<IPage> pages, int count, Func<IPage, int, Task<double>> gesture, CliOutput output, string name)
    {
        output.Progress($"  timing {count} × {name} with {pages.Count} circuits open…");
        var times = new List<double>();
        var failed = 0;
        for (var i = 0; i < count; i++)
        {
            var ms = await gesture(pages[i % pages.Count], i);
            if (ms < 0)
            {
                failed++;
            }
            else
            {
                times.Add(ms);
            }
        }

        return Timings.Of(times, failed);
    }

    // The first gesture clusters the library without predictions (not cached yet): measured like any other.
    private static Task<double> ToggleAsync(IPage page, int i) => page.EvaluateAsync<double>(GestureScript,
        new object[] { "[data-testid=library-content]", "input[data-testid=use-recs-model]", "click", "", "[data-testid=library-content] .mud-progress-circular" });

    private static Task<double> SortAsync(IPage page, int i) => page.EvaluateAsync<double>(GestureScript,
        new object[] { "[data-testid=tracks] tbody", "[data-testid=sort-tempo]", "click", "", "" });

    private static Task<double> FilterAsync(IPage page, int i) => page.EvaluateAsync<double>(GestureScript,
        new object[] { "[data-testid=tracks] tbody", "input[data-testid=bpm-min]", "change", i % 2 == 0 ? "125" : "", "" });

    // Starts a gesture and resolves with the milliseconds until the first DOM change under `root` after which `busy`
    // (when given) matches nothing: the server's answer is on screen. -1 after 30 s.
    private const string GestureScript = """
        ([root, target, kind, value, busy]) => new Promise(resolve => {
          const r = document.querySelector(root), t = document.querySelector(target);
          if (!r || !t) { resolve(-1); return; }
          const t0 = performance.now();
          const done = () => !busy || !document.querySelector(busy);
          const observer = new MutationObserver(() => { if (done()) { observer.disconnect(); clearTimeout(timer); resolve(performance.now() - t0); } });
          const timer = setTimeout(() => { observer.disconnect(); resolve(-1); }, 30000);
          observer.observe(r, { subtree: true, childList: true, characterData: true });
          if (kind === 'click') t.click();
          else { t.value = value; t.dispatchEvent(new Event('change', { bubbles: true })); }
        })
        """;

    // The sign-in cookie of a listener account, minted with the app's own data protection (as the Spotify callback would).
    private static Microsoft.Playwright.Cookie Cookie(CookieAuthenticationOptions options, string accountId, string baseUrl)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(RecsClaimTypes.AccountId, accountId),
                new Claim(RecsClaimTypes.DisplayName, accountId),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme));
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IsPersistent = true, ExpiresUtc = DateTimeOffset.UtcNow.AddHours(2) },
            CookieAuthenticationDefaults.AuthenticationScheme);
        return new Microsoft.Playwright.Cookie
        {
            Name = options.Cookie.Name ?? CookieAuthenticationDefaults.CookiePrefix + CookieAuthenticationDefaults.AuthenticationScheme,
            Value = options.TicketDataFormat.Protect(ticket),
            Url = baseUrl,
        };
    }

    private static double Mb(double bytes) => bytes / (1024.0 * 1024.0);

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private sealed class Phase(string name, int circuits, (long Managed, long Rss) baseline, (long Managed, long Rss) full, List<IPage> pages)
    {
        public List<IPage> Pages { get; } = pages;

        public Dictionary<string, Timings> Interactions { get; } = [];

        public double? LibraryDataMbPerListener { get; set; }

        public PhaseJson ToJson() => new(
            name, circuits,
            Math.Round(Mb(baseline.Managed), 2), Math.Round(Mb(full.Managed), 2), Math.Round(Mb(full.Managed - baseline.Managed) / (circuits - 1), 3),
            Math.Round(Mb(baseline.Rss), 1), Math.Round(Mb(full.Rss), 1), Math.Round(Mb(full.Rss - baseline.Rss) / (circuits - 1), 3),
            LibraryDataMbPerListener, Interactions);
    }

    internal sealed record Timings(int Count, int Failed, double P50Ms, double P95Ms, double MaxMs)
    {
        public static Timings Of(List<double> times, int failed)
        {
            if (times.Count == 0)
            {
                return new Timings(0, failed, double.NaN, double.NaN, double.NaN);
            }

            times.Sort();
            double At(double q) => times[Math.Clamp((int)Math.Ceiling(q * times.Count) - 1, 0, times.Count - 1)];
            return new Timings(times.Count, failed, Math.Round(At(0.5), 1), Math.Round(At(0.95), 1), Math.Round(times[^1], 1));
        }
    }

    private sealed record PhaseJson(
        string Phase, int Circuits,
        double HeapBaselineMb, double HeapMb, double HeapPerCircuitMb,
        double RssBaselineMb, double RssMb, double RssPerCircuitMb,
        double? LibraryDataMbPerListener, Dictionary<string, Timings> Interactions);

    private sealed record CircuitBenchJson(int Circuits, int Tracks, int Cores, string LoadAverage, bool ServerGc, IReadOnlyList<PhaseJson> Phases);
}
