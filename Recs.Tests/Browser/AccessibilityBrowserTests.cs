using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Recs.Core.Jobs;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Browser;
using Recs.Tests.TestSupport.Listener;
using Recs.Web.Jobs;
using Recs.Web.Libraries;

namespace Recs.Tests.Browser;

/// <summary>
/// Every page through axe-core (issue 13.13) at desktop (1366×900) and phone (390×844) sizes, in the dark and the light
/// theme, plus the cluster colours of cards and map (13.14). One app, one browser and one trained model for the whole class
/// (<see cref="App"/>): the tests reuse its pages. The listener's journeys (13.8, 13.9, 13.11, 13.12) are in
/// <see cref="JourneyBrowserTests"/>.
/// </summary>
public sealed class AccessibilityBrowserTests(AccessibilityBrowserTests.App app) : IClassFixture<AccessibilityBrowserTests.App>
{
    private static readonly (int Width, int Height) Desktop = BrowserViews.Desktop;
    private static readonly (int Width, int Height) Phone = BrowserViews.Phone;

    // Beyond serious and critical, the rules issue 13.13 named: a main landmark, one h1, content in landmarks, table headers with text.
    private static readonly HashSet<string> NamedRules = ["landmark-one-main", "page-has-heading-one", "region", "empty-table-header"];

    static AccessibilityBrowserTests() => Assertions.SetDefaultExpectTimeout(20_000);

    [BrowserFact]
    public Task EveryPageIsAccessible_DesktopDark() => CheckEveryPageAsync(Desktop, dark: true);

    [BrowserFact]
    public Task EveryPageIsAccessible_DesktopLight() => CheckEveryPageAsync(Desktop, dark: false);

    [BrowserFact]
    public Task EveryPageIsAccessible_PhoneDark() => CheckEveryPageAsync(Phone, dark: true);

    [BrowserFact]
    public Task EveryPageIsAccessible_PhoneLight() => CheckEveryPageAsync(Phone, dark: false);

    [BrowserFact]
    public async Task EachClusterHasOneDistinctColourSharedByItsCardAndTheMap()
    {
        var page = await app.SignedInPageAsync(Desktop);
        await GotoAsync(page, "/library", dark: true);
        await Assertions.Expect(page.GetByTestId("library-content")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        var cards = await page.GetByTestId("cluster-card").AllAsync();
        Assert.True(cards.Count >= 2, "the seeded model has several clusters");
        var cardColours = new Dictionary<string, string>();
        foreach (var card in cards)
        {
            var id = (await card.GetAttributeAsync("data-cluster-id"))!;
            var colour = (await card.GetAttributeAsync("data-color"))!;
            Assert.Equal(ClusterColors.Of(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)), colour);
            // The card shows it: the swatch beside the name is painted in it.
            var swatch = await card.GetByTestId("cluster-swatch").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
            Assert.Equal(Rgb(colour), swatch);
            cardColours[(await card.Locator("h2").InnerTextAsync()).Trim()] = colour;
        }

        Assert.Equal(cardColours.Count, cardColours.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());

        // The map: the legend gives each cluster its card's colour, and its points are drawn in it.
        var map = await page.GetByTestId("scatter").EvaluateAsync<MapColours>(MapColoursScript);
        Assert.True(map.Legend.Count > 0, $"no legend on the map: {map.Html}");
        foreach (var (name, colour) in cardColours)
        {
            Assert.True(map.Legend.TryGetValue(name, out var legendColour), $"the map's legend has no '{name}': {string.Join(", ", map.Legend.Keys)}");
            Assert.Equal(Rgb(colour), legendColour);
            Assert.Contains(Rgb(colour), map.PointFills);
        }

        // Every cluster's points are drawn in a cluster colour.
        Assert.All(map.PointFills, f => Assert.Contains(f, cardColours.Values.Select(Rgb)));

    }

    [BrowserFact]
    public async Task TheMapsAcrossAxisTitleSitsBelowThePlot()
    {
        foreach (var size in new[] { Desktop, Phone })
        {
            var page = await app.SignedInPageAsync(size);
            await GotoAsync(page, "/library", dark: true);
            var scatter = page.GetByTestId("scatter");
            await Assertions.Expect(scatter.Locator("svg").First).ToBeVisibleAsync(new() { Timeout = 60_000 });

            // Issue 13.14: MudBlazor 9 drew the across title at the top of the plot's SVG, above the points.
            var title = scatter.GetByText("Tempo (BPM)", new() { Exact = true });
            await Assertions.Expect(title).ToHaveCountAsync(1);
            await Assertions.Expect(title).ToBeVisibleAsync();
            // MatchBoundsToSize sizes the SVG after the first render: measure until the layout holds (or time runs out).
            var plot = scatter.Locator("svg.recs-scatter");
            string? wrong = "not measured";
            for (var attempt = 0; attempt < 20 && wrong is not null; attempt++)
            {
                if (attempt > 0)
                {
                    await page.WaitForTimeoutAsync(250);
                }

                var titleBox = (await title.BoundingBoxAsync())!;
                var plotBox = (await plot.BoundingBoxAsync())!;
                var titleCentre = titleBox.X + titleBox.Width / 2;
                var where = $"at {size.Width}×{size.Height}: title {titleBox.Y:F0}–{titleBox.Y + titleBox.Height:F0} (centre {titleCentre:F0}), plot {plotBox.Y:F0}–{plotBox.Y + plotBox.Height:F0} ({plotBox.X:F0}–{plotBox.X + plotBox.Width:F0})";
                wrong = titleBox.Y < plotBox.Y + plotBox.Height - 1 ? $"the across title is not below the plot {where}"
                    : titleBox.Y - (plotBox.Y + plotBox.Height) > 60 ? $"the across title is far from the plot {where}"
                    : titleCentre < plotBox.X || titleCentre > plotBox.X + plotBox.Width ? $"the across title is not under the plot {where}"
                    : null;
            }

            Assert.Null(wrong);
        }
    }

    /// <summary>What <see cref="MapColoursScript"/> reads (Playwright fills it through a parameterless constructor).</summary>
    public sealed class MapColours
    {
        public Dictionary<string, string> Legend { get; set; } = [];

        public string[] PointFills { get; set; } = [];

        public string Html { get; set; } = "";
    }

    /// <summary>The map's legend (name → marker colour) and the distinct fills of its points.</summary>
    private const string MapColoursScript = """
        root => {
          const legend = {};
          for (const item of root.querySelectorAll('.recs-scatter-legend-item')) {
            const marker = item.querySelector('.recs-scatter-marker');
            if (marker) legend[item.innerText.trim()] = getComputedStyle(marker).backgroundColor;
          }
          // Each cluster's points are one path of dots (issue 15): its stroke is the points' colour.
          const paths = [...root.querySelectorAll('svg path.recs-scatter-points')];
          const fills = [...new Set(paths.map(p => getComputedStyle(p).stroke))];
          return { Legend: legend, PointFills: fills, Html: root.outerHTML.slice(0, 1500) };
        }
        """;

    private async Task CheckEveryPageAsync((int Width, int Height) size, bool dark)
    {
        var report = new StringBuilder();
        await using (var context = await app.NewContextAsync(size))
        {
            var signedOut = await context.NewPageAsync();
            await CheckAsync(signedOut, "/", "home-next-step", dark, report);
            await CheckAsync(signedOut, "/signin", "signin-demo", dark, report);
        }

        var page = await app.SignedInPageAsync(size);
        await CheckAsync(page, "/", "home-next-step", dark, report);
        await CheckAsync(page, "/library", "library-content", dark, report);
        await CheckAsync(page, "/library/sources", "library-summary", dark, report);
        await CheckAsync(page, $"/clusters/{app.ClusterId}", "cluster-content", dark, report);
        await CheckAsync(page, "/admin", "jobs-table", dark, report);
        await CheckAsync(page, $"/admin/jobs/{app.TrainingJobId}", "job-training-result", dark, report);
        await CheckAsync(page, "/admin/models", "models-table", dark, report);
        await CheckAsync(page, "/admin/catalog", null, dark, report);
        await CheckAsync(page, "/admin/accounts", "accounts", dark, report);
        await CheckAsync(page, "/not-allowed", "not-allowed", dark, report);

        Assert.True(report.Length == 0, $"axe-core at {size.Width}×{size.Height}, {(dark ? "dark" : "light")} theme:\n{report}");
    }

    private static async Task CheckAsync(IPage page, string path, string? readyTestId, bool dark, StringBuilder report)
    {
        await GotoAsync(page, path, dark);
        if (readyTestId is not null)
        {
            try
            {
                await Assertions.Expect(page.GetByTestId(readyTestId).First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            }
            catch (PlaywrightException)
            {
                // Say so and check the page as it is: one run reports every page.
                report.AppendLine($"{path}: never showed [data-testid={readyTestId}]: {(await page.InnerTextAsync("main")).ReplaceLineEndings(" | ")}");
            }
        }

        // Let transitions (drawer, ripples, progress) settle so colours are measured as a reader sees them.
        await page.WaitForTimeoutAsync(200);
        var result = await page.RunAxe();
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical" || NamedRules.Contains(v.Id)))
        {
            report.AppendLine($"{path}: {violation.Id} ({violation.Impact}) {violation.Help} ×{violation.Nodes.Length}");
            foreach (var node in violation.Nodes.Take(3))
            {
                var html = node.Html.Length > 160 ? node.Html[..160] + "…" : node.Html;
                report.AppendLine($"    {node.Target}: {html} — {string.Join("; ", node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message).Take(2))}");
            }
        }

        // Chart tick labels must be readable: no axis text drawn smaller than 10 px.
        var tiny = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.mud-chart svg text, svg.recs-bars text')]
                .filter(t => t.textContent.trim() && t.getBoundingClientRect().height > 0 && t.getBoundingClientRect().height < 10)
                .map(t => `'${t.textContent.trim()}' ${t.getBoundingClientRect().height.toFixed(1)} px`)
            """);
        if (tiny.Length > 0)
        {
            report.AppendLine($"{path}: {tiny.Length} chart labels under 10 px, e.g. {string.Join(", ", tiny.Take(4))}");
        }
    }

    /// <summary>Loads <paramref name="path"/>, waits for the circuit, and switches to the light theme when asked (dark is the default).</summary>
    private static Task GotoAsync(IPage page, string path, bool dark) => BrowserViews.GotoAsync(page, path, dark ? Theme.Dark : Theme.Light);

    private static string Rgb(string hex) =>
        $"rgb({Convert.ToInt32(hex[1..3], 16)}, {Convert.ToInt32(hex[3..5], 16)}, {Convert.ToInt32(hex[5..7], 16)})";

    /// <summary>The app with a trained model, a succeeded training job, and a demo listener (an admin: no Spotify) signed in.</summary>
    public sealed class App : IAsyncLifetime
    {
        // TestSignIn: a signed-in listener who is not an admin (the demo listener is one), for Home's next step.
        private readonly RecsWebFactory _factory = new RecsWebFactory().With("Spotify:ClientId", "").With("Spotify:ClientSecret", "")
            .WithServices(TestSignIn.Register);
        private BrowserSession? _browser;

        /// <summary>
        /// The demo catalog this app's 3-cluster model is trained on, chosen for the cluster-name test (13.11). Its
        /// clusters are unequal (21, 36 and 63 of the library's 120 catalog tracks) and the largest is the energetic one,
        /// which pulls the catalog's average energy up (≈0.68). The middle cluster in energy (centroid 0.60, between 0.21
        /// and 0.84, above the other two's mean 0.53) is thus below the catalog's average: names measured against the
        /// catalog (before the fix) called it "slow · calm · danceable", with an energy of 63 on its card against 15 and 83;
        /// names measured against the other clusters call it "slow · danceable · loud".
        /// </summary>
        public const int NamesCatalogSeed = 1037;

        public Guid TrainingJobId { get; private set; }

        public int ClusterId => 0;

        public async Task InitializeAsync()
        {
            if (!Chromium.IsInstalled && !Chromium.IsCi)
            {
                return; // every test is skipped
            }

            var catalog = await ListenerModelSeed.TrainAsync(_factory.DataDirectory, catalogSeed: NamesCatalogSeed);
            _browser = await BrowserSession.StartAsync(_factory);

            // The demo listener's library: catalog tracks and a few new ones (predicted), as an Exportify upload.
            var csv = new StringBuilder("Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Genres\n");
            // Every other track has a long title and artist list, as real libraries do (live versions, featured artists):
            // the cluster table must keep its controls in view with them (ClusterPageBrowserTests).
            foreach (var (t, i) in catalog.Take(120).Select((t, i) => (t, i)))
            {
                var name = i % 2 == 0 ? $"{t.Name} (Live at the Royal Albert Hall, 2019 – Remastered Extended Version)" : t.Name;
                var artists = i % 2 == 0 ? $"{t.Artists}, The London Symphony Orchestra and Chorus, Featured Guest Vocalist" : t.Artists;
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"spotify:track:{t.Id},\"{name}\",\"{t.AlbumName}\",\"{artists}\",2020-01-01,{t.DurationMs},50,false,\"pop\"\n");
            }

            for (var i = 0; i < 20; i++)
            {
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"spotify:track:NewTrack{i:D14},Fresh song {i},Debut,Newcomer {i % 3},2025-05-05,{180_000 + 7_000 * i},20,false,indie pop\n");
            }

            using (var upload = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())))
            {
                var stored = await _factory.Services.GetRequiredService<LibrarySources>().UploadAsync(Recs.Core.Accounts.UserAccount.DemoAccountId, upload, "library.csv", CancellationToken.None);
                Assert.NotNull(stored);
            }

            await _browser.SignInAsDemoAsync("/library");

            // A finished training job, for the job page.
            var jobs = _factory.Services.GetRequiredService<JobService>();
            var started = await jobs.StartAsync(new TrainingParameters(K: 3, Trainer: "sdca", RandomSplit: false), "accessibility test");
            Assert.True(started.Ok, started.Message);
            TrainingJobId = started.JobId!.Value;
            var done = await _factory.Services.WaitForJobAsync(TrainingJobId, j => j.IsFinished, TimeSpan.FromMinutes(5));
            Assert.Equal(JobStatus.Succeeded, done.Status);
        }

        /// <summary>The signed-in demo listener's page, at <paramref name="size"/>.</summary>
        public async Task<IPage> SignedInPageAsync((int Width, int Height) size)
        {
            await _browser!.Page.SetViewportSizeAsync(size.Width, size.Height);
            return _browser.Page;
        }

        /// <summary>
        /// The signed-in listener's page on a cluster (<see cref="ClusterId"/> unless given) at <paramref name="screen"/>'s
        /// size in <paramref name="theme"/>, once its tracks are on screen.
        /// </summary>
        public async Task<IPage> OpenClusterAsync(Screen screen, Theme theme, int? cluster = null)
        {
            var page = await SignedInPageAsync(BrowserViews.SizeOf(screen));
            await BrowserViews.GotoAsync(page, $"/clusters/{cluster ?? ClusterId}", theme);
            await Assertions.Expect(page.GetByTestId("cluster-content")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("track-title").First).ToBeVisibleAsync();
            return page;
        }

        /// <summary>A fresh, signed-out browser context on the same app (dispose it).</summary>
        public async Task<IBrowserContext> NewContextAsync((int Width, int Height) size)
        {
            var context = await _browser!.Context.Browser!.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = _browser.BaseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = size.Width, Height = size.Height },
            });
            context.SetDefaultTimeout(20_000);
            return context;
        }

        public async Task DisposeAsync()
        {
            if (_browser is not null)
            {
                await _browser.DisposeAsync();
            }

            await _factory.DisposeAsync();
        }
    }
}
