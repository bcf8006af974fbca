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
/// <c>bench --circuits N [--tracks N] [--interactions N] [--settle S] [--gcdump DIR] [--phases library,cluster,listeners] [--json]</c> (issue 15): what an open page costs the server.
/// Starts this app in-process on Kestrel (loopback, a private temporary data directory, the demo catalog and model),
/// gives listeners a generated 10,000-track upload and opens real Blazor circuits with headless Chromium through
/// Playwright: N tabs of ONE listener on the library page, then on a cluster page, then N listeners with their own
/// library each on the library page. After each phase it forces a full compacting GC and reports the managed heap and
/// the process RSS per circuit, and p50/p95 of interactions (toggle, sort, filter) timed in the page, from the gesture to
/// the DOM update, with the circuits open. The bench process also hosts Playwright's client (a few KB per page).
/// Each phase prints its figures as soon as they are read and a phase that fails is reported and skipped, so one bad
/// phase never loses the others; a circuit that outlives its closed tab is reported, not fatal. <c>--gcdump DIR</c>
/// writes a heap snapshot by type (dotnet-gcdump) at each reading; <c>--settle S</c> (5) quiet seconds before each reading;
/// <c>--phases</c> runs only the phases named (all three by default: 200 listeners alone take most of an hour).
/// The listeners' library data is read once the background work is done: each library clustered with predictions and
/// the switched-off variant derived from it (both settings of the toggle, as a listener's page finds them).
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
        var settleSeconds = args.Int("settle", 5, 0, 600);
        var dumpDirectory = args.Get("gcdump") is { } d ? Path.GetFullPath(d) : null;
        string[] allPhases = ["library", "cluster", "listeners"];
        var selected = args.Get("phases") is { } p ? p.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : allPhases;
        var unknown = selected.Except(allPhases).FirstOrDefault();
        if (selected.Length == 0 || unknown is not null)
        {
            output.Error.WriteLine($"bench --phases takes a comma-separated list of {string.Join(", ", allPhases)}{(unknown is null ? "" : $"; not {unknown}")}.");
            return 2;
        }

        if (dumpDirectory is not null)
        {
            Directory.CreateDirectory(dumpDirectory);
        }

        if (!File.Exists(ChromiumPath))
        {
            output.Error.WriteLine($"bench --circuits needs Chromium at {ChromiumPath} (apt-get install -y chromium).");
            return 2;
        }

        var temp = BenchVerb.CreateTemporaryDirectory("recs-bench-circuits-");
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

            var phases = new List<PhaseJson>();
            output.Line($"Circuit bench: {n} circuits per phase, {trackCount:N0}-track libraries, {Environment.ProcessorCount} cores, server GC {GCSettings.IsServerGC}, load {LoadAverage()}");

            if (selected.Contains("library") || selected.Contains("cluster"))
            {
                phases.AddRange(await RunDemoListenerPhasesAsync());
            }

            if (selected.Contains("listeners"))
            {
                phases.Add(await RunListenersPhaseAsync());
            }

            output.Result(new CircuitBenchJson(n, trackCount, Environment.ProcessorCount, LoadAverage(), GCSettings.IsServerGC, phases));
            await app.StopAsync(cancellationToken);
            return 0;

            async Task<List<PhaseJson>> RunDemoListenerPhasesAsync()
            {
                var demoPhases = new List<PhaseJson>();
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
                await WaitForCircuitsAsync(counter, 0, output, cancellationToken);
                var bench = new Bench(n, TimeSpan.FromSeconds(settleSeconds), counter, output, dumpDirectory, cancellationToken);

                if (selected.Contains("library"))
                {
                    demoPhases.Add(await bench.RunPhaseAsync("library", "one listener, N tabs on the library page",
                        i => OpenAsync(demo, "/library", "library-content"),
                        [("toggle", interactions, ToggleAsync)]));
                }

                if (selected.Contains("cluster"))
                {
                    demoPhases.Add(await bench.RunPhaseAsync("cluster", "one listener, N tabs on a cluster page",
                        i => OpenAsync(demo, $"/clusters/{clusterId}", "track-title"),
                        [("sort", interactions, SortAsync), ("filter", interactions, FilterAsync)]));
                }

                await demo.CloseAsync();
                return demoPhases;
            }

            async Task<PhaseJson> RunListenersPhaseAsync()
            {
                var bench = new Bench(n, TimeSpan.FromSeconds(settleSeconds), counter, output, dumpDirectory, cancellationToken);

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
                    if ((i + 1) % 20 == 0)
                    {
                        output.Progress($"  {i + 1}/{n} listener libraries uploaded and clustered");
                    }
                }

                await library.WhenPrecomputedAsync();
                var libraryData = (Heap().Managed - before.Managed) / (double)n;
                output.Progress(string.Create(CultureInfo.InvariantCulture,
                    $"library data: {Mb(libraryData):0.00} MB per listener ({trackCount:N0} tracks, cached clustering with predictions and the one derived without)"));
                var contexts = new List<IBrowserContext>();
                var listeners = await bench.RunPhaseAsync("listeners", "N listeners with their own library, one tab each on the library page", async i =>
                {
                    var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
                    context.SetDefaultTimeout(60_000);
                    contexts.Add(context);
                    await context.AddCookiesAsync([Cookie(cookieOptions, $"bench-listener-{i}", baseUrl)]);
                    return await OpenAsync(context, "/library", "library-content");
                }, [("toggle", interactions, ToggleAsync)], libraryDataMb: Math.Round(Mb(libraryData), 3));
                foreach (var context in contexts)
                {
                    await context.CloseAsync();
                }

                return listeners;
            }
        }
        finally
        {
            BenchVerb.DeleteTemporaryDirectory(temp);
        }
    }

    /// <summary>Runs the phases: each reports as soon as it is measured, and a failing phase does not stop the next.</summary>
    // settle: a page whose circuit has just opened is still rendering and talking to its browser (render batches, socket
    // buffers): readings taken at once differed by up to ~0.35 MB per circuit between two runs of the same page.
    private sealed class Bench(int n, TimeSpan settle, CircuitCounter counter, CliOutput output, string? dumpDirectory, CancellationToken cancellationToken)
    {
        public async Task<PhaseJson> RunPhaseAsync(
            string key, string name, Func<int, Task<IPage>> open,
            IReadOnlyList<(string Name, int Count, Func<IPage, int, Task<double>> Gesture)> gestures, double? libraryDataMb = null)
        {
            var result = new PhaseJson { Phase = name, LibraryDataMbPerListener = libraryDataMb };
            var pages = new List<IPage>();
            var openBefore = counter.Open;
            if (openBefore != 0)
            {
                output.Progress($"{name}: {openBefore} circuit(s) of an earlier phase still open; they count in both readings, not in the difference");
            }

            try
            {
                output.Progress($"{name}: opening 1…");
                pages.Add(await open(0));
                var atBaseline = await WaitForCircuitsAsync(counter, openBefore + 1, output, cancellationToken);
                await Task.Delay(settle, cancellationToken);
                var baseline = Heap();
                result.LoadAtBaseline = LoadAverage();
                await DumpAsync($"{key}-1");
                for (var i = 1; i < n; i++)
                {
                    pages.Add(await open(i));
                    if ((i + 1) % 10 == 0)
                    {
                        output.Progress($"  {i + 1}/{n} open");
                    }
                }

                var atFull = await WaitForCircuitsAsync(counter, openBefore + n, output, cancellationToken);
                await Task.Delay(settle, cancellationToken);
                var full = Heap();
                result.LoadAtFull = LoadAverage();
                await DumpAsync($"{key}-{n}");
                result.Measured(atBaseline, baseline, atFull, full);
                Print(result.MemoryLines());
                foreach (var (gestureName, count, gesture) in gestures)
                {
                    var timings = await TimeAsync(pages, count, gesture, gestureName);
                    result.Interactions[gestureName] = timings;
                    Print([result.InteractionLine(gestureName, timings)]);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result.Error = e.Message;
                Print([$"  {name}: FAILED after {pages.Count} page(s) opened: {e.Message}"]);
            }
            finally
            {
                foreach (var page in pages)
                {
                    try
                    {
                        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
                    }
                    catch (PlaywrightException)
                    {
                        // Already closed (a crashed tab): its circuit ends when the server notices.
                    }
                }

                result.OpenAfterClose = await WaitForCircuitsAsync(counter, openBefore, output, cancellationToken);
            }

            return result;
        }

        private void Print(IEnumerable<string> lines) => CircuitBench.Print(output, lines);

        // Times K gestures spread round-robin over the open pages, one at a time: from the gesture to the DOM update.
        private async Task<Timings> TimeAsync(List<IPage> pages, int count, Func<IPage, int, Task<double>> gesture, string name)
        {
            output.Progress($"  timing {count} × {name} with {pages.Count} circuits open (load {LoadAverage()})…");
            var times = new List<double>();
            var failed = 0;
            for (var i = 0; i < count; i++)
            {
                double ms;
                try
                {
                    // The gesture learns how often this page had one before: a filter set on its first turn is cleared on its second.
                    ms = await gesture(pages[i % pages.Count], i / pages.Count);
                }
                catch (PlaywrightException)
                {
                    ms = -1;
                }

                if (ms < 0)
                {
                    failed++;
                }
                else
                {
                    times.Add(ms);
                }
            }

            return Timings.Of(times, failed, LoadAverage());
        }

        // --gcdump DIR: a heap snapshot by type of this very process (dotnet-gcdump, a dotnet tool, on PATH), to compare
        // what 1 and N circuits hold: `dotnet-gcdump report DIR/library-1.gcdump`. Bench-only; the product never dumps.
        private async Task DumpAsync(string name)
        {
            if (dumpDirectory is null)
            {
                return;
            }

            var file = Path.Combine(dumpDirectory, name + ".gcdump");
            try
            {
                using var process = Process.Start(new ProcessStartInfo("dotnet-gcdump", ["collect", "-p", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "-o", file])
                {
                    RedirectStandardOutput = true, RedirectStandardError = true,
                })!;
                var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                output.Progress(process.ExitCode == 0 ? $"  heap snapshot: {file}" : $"  dotnet-gcdump failed ({process.ExitCode}): {await stderr}{await stdout}");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                output.Progress($"  no heap snapshot: dotnet-gcdump not found on PATH ({e.Message}); `dotnet tool install -g dotnet-gcdump`");
            }
        }
    }

    // A phase's figures as soon as they are read: on stdout, or on stderr with --json (stdout stays one object).
    private static void Print(CliOutput output, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            if (output.IsJson)
            {
                output.Progress(line);
            }
            else
            {
                output.Line(line);
            }
        }
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

    // A closed page ends its circuit through Blazor's unload beacon; wait until the server has seen them all. A circuit
    // whose beacon was lost stays (disconnected) until the server's retention period ends: reported, not fatal. Returns
    // the circuits open when the wait ended.
    private static async Task<int> WaitForCircuitsAsync(CircuitCounter counter, int expected, CliOutput output, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        while (counter.Open != expected && sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100, cancellationToken);
        }

        var open = counter.Open;
        if (open != expected)
        {
            output.Progress($"  expected {expected} open circuits, the server holds {open} after {sw.Elapsed.TotalSeconds:0} s; going on with {open}");
        }

        return open;
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

    // The first gesture clusters the library without predictions (not cached yet): measured like any other.
    private static Task<double> ToggleAsync(IPage page, int turn) => page.EvaluateAsync<double>(GestureScript,
        new object[] { "[data-testid=library-content]", "input[data-testid=use-recs-model]", "click", "", "[data-testid=library-content] .mud-progress-circular" });

    private static Task<double> SortAsync(IPage page, int turn) => page.EvaluateAsync<double>(GestureScript,
        new object[] { "[data-testid=tracks] tbody", "[data-testid=sort-tempo]", "click", "", "" });

    private static Task<double> FilterAsync(IPage page, int turn) => page.EvaluateAsync<double>(GestureScript,
        new object[] { "[data-testid=tracks] tbody", "input[data-testid=bpm-min]", "change", turn % 2 == 0 ? "125" : "", "" });

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

    internal sealed record Timings(int Count, int Failed, double P50Ms, double P95Ms, double MaxMs, string LoadAverage)
    {
        public static Timings Of(List<double> times, int failed, string loadAverage)
        {
            if (times.Count == 0)
            {
                return new Timings(0, failed, double.NaN, double.NaN, double.NaN, loadAverage);
            }

            times.Sort();
            double At(double q) => times[Math.Clamp((int)Math.Ceiling(q * times.Count) - 1, 0, times.Count - 1)];
            return new Timings(times.Count, failed, Math.Round(At(0.5), 1), Math.Round(At(0.95), 1), Math.Round(times[^1], 1), loadAverage);
        }
    }

    /// <summary>One phase's figures (snake_case in --json). Per additional circuit = the difference of the two readings
    /// divided by the difference of the circuits the server held at them.</summary>
    private sealed class PhaseJson
    {
        public string Phase { get; init; } = "";

        public int CircuitsAtBaseline { get; private set; }

        public int Circuits { get; private set; }

        public double HeapBaselineMb { get; private set; }

        public double HeapMb { get; private set; }

        public double HeapPerCircuitMb { get; private set; }

        public double RssBaselineMb { get; private set; }

        public double RssMb { get; private set; }

        public double RssPerCircuitMb { get; private set; }

        public double? LibraryDataMbPerListener { get; init; }

        public string LoadAtBaseline { get; set; } = "";

        public string LoadAtFull { get; set; } = "";

        public Dictionary<string, Timings> Interactions { get; } = [];

        public int OpenAfterClose { get; set; }

        public string? Error { get; set; }

        public void Measured(int atBaseline, (long Managed, long Rss) baseline, int atFull, (long Managed, long Rss) full)
        {
            var added = Math.Max(1, atFull - atBaseline);
            (CircuitsAtBaseline, Circuits) = (atBaseline, atFull);
            (HeapBaselineMb, HeapMb, HeapPerCircuitMb) = (Math.Round(Mb(baseline.Managed), 2), Math.Round(Mb(full.Managed), 2), Math.Round(Mb(full.Managed - baseline.Managed) / added, 3));
            (RssBaselineMb, RssMb, RssPerCircuitMb) = (Math.Round(Mb(baseline.Rss), 1), Math.Round(Mb(full.Rss), 1), Math.Round(Mb(full.Rss - baseline.Rss) / added, 3));
        }

        public IEnumerable<string> MemoryLines()
        {
            yield return $"  {Phase}";
            yield return string.Create(CultureInfo.InvariantCulture,
                $"    managed heap {HeapBaselineMb,8:0.0} MB with {CircuitsAtBaseline} → {HeapMb,8:0.0} MB with {Circuits}: {HeapPerCircuitMb:0.000} MB per additional circuit (load {LoadAtFull})");
            yield return string.Create(CultureInfo.InvariantCulture,
                $"    RSS          {RssBaselineMb,8:0.0} MB with {CircuitsAtBaseline} → {RssMb,8:0.0} MB with {Circuits}: {RssPerCircuitMb:0.000} MB per additional circuit");
            if (LibraryDataMbPerListener is { } data)
            {
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"    library data {data:0.000} MB per listener (its cached clustering, both settings of the switch, measured before any page opened; not in the figures above)");
            }
        }

        public string InteractionLine(string name, Timings t) => string.Create(CultureInfo.InvariantCulture,
            $"    {name,-7} p50 {t.P50Ms,7:0.0} ms  p95 {t.P95Ms,7:0.0} ms  max {t.MaxMs,7:0.0} ms  ({t.Count} with {Circuits} circuits open, {t.Failed} failed; load {t.LoadAverage})");
    }

    private sealed record CircuitBenchJson(int Circuits, int Tracks, int Cores, string LoadAverage, bool ServerGc, IReadOnlyList<PhaseJson> Phases);
}
