using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Recs.Core.Clustering;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.Browser;

namespace Recs.Tests.Browser;

/// <summary>
/// The listener's journey as issue 13 found it broken, at desktop and phone sizes in both themes
/// (<see cref="BrowserViews.All"/>): Home's next step (13.8), sorting by BPM then Energy (13.9), cluster names that
/// agree with the numbers beside them, BPM and the sound profile (13.11), and saying why a feature is unavailable and listing what is counted
/// (13.12). One app, browser and trained model for the class (<see cref="AccessibilityBrowserTests.App"/>): its demo
/// listener (an admin, since the demo is on) has 120 catalog tracks and 20 new ones.
/// </summary>
public sealed class JourneyBrowserTests(AccessibilityBrowserTests.App app) : IClassFixture<AccessibilityBrowserTests.App>
{
    static JourneyBrowserTests() => Assertions.SetDefaultExpectTimeout(20_000);

    [BrowserTheory, MemberData(nameof(BrowserViews.All), MemberType = typeof(BrowserViews))]
    public async Task HomeLeadsAVisitorInAndAListenerToTheirLibrary_TheStateOnlyForAdmins(Screen screen, Theme theme)
    {
        await using var context = await app.NewContextAsync(BrowserViews.SizeOf(screen));
        var page = await context.NewPageAsync();
        var next = page.GetByTestId("home-next-step");

        // Signed out: the way in (here the demo: this Recs has no Spotify credentials), not the admins' system state.
        await BrowserViews.GotoAsync(page, "/", theme);
        await Assertions.Expect(next).ToHaveAttributeAsync("data-next", "sign-in");
        await Assertions.Expect(page.GetByTestId("home-demo")).ToBeInViewportAsync();
        await Assertions.Expect(page.GetByTestId("app-state")).ToHaveCountAsync(0);

        // A listener who is not an admin: the way to their library, and still no system state.
        var signIn = await page.APIRequest.GetAsync($"{TestSignIn.Path}?account=listener-{screen}-{theme}".ToLowerInvariant());
        Assert.Equal(204, signIn.Status);
        await BrowserViews.GotoAsync(page, "/", theme);
        await Assertions.Expect(next).ToHaveAttributeAsync("data-next", "library");
        await Assertions.Expect(page.GetByTestId("home-library")).ToBeInViewportAsync();
        await Assertions.Expect(page.GetByTestId("app-state")).ToHaveCountAsync(0);
        await page.GetByTestId("home-library").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/library$"));
        await Assertions.Expect(page.GetByTestId("library-empty")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // A new visitor who explores the demo lands on their library, which is already there.
        await context.ClearCookiesAsync();
        await BrowserViews.GotoAsync(page, "/", theme);
        await Assertions.Expect(next).ToHaveAttributeAsync("data-next", "sign-in");
        await page.GetByTestId("home-demo").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/library$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("library-content")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // Back on Home: the way to the library; the demo listener is an admin here, so the state is shown to them.
        await BrowserViews.GotoAsync(page, "/", theme);
        await Assertions.Expect(next).ToHaveAttributeAsync("data-next", "library");
        await Assertions.Expect(page.GetByTestId("home-library")).ToBeInViewportAsync();
        await Assertions.Expect(page.GetByTestId("app-state")).ToBeVisibleAsync();
    }

    [BrowserTheory, MemberData(nameof(BrowserViews.All), MemberType = typeof(BrowserViews))]
    public async Task ClickingBpmThenEnergySortsByBothAndShowsTheOrder(Screen screen, Theme theme)
    {
        var page = await app.SignedInPageAsync(BrowserViews.SizeOf(screen));
        var cluster = await LargestClusterAsync(page, theme);
        await app.OpenClusterAsync(screen, theme, cluster);
        await Assertions.Expect(page.GetByTestId("sort-none")).ToBeVisibleAsync();

        // The documented gesture: plain clicks, BPM then Energy. The headers a listener can see at this size.
        await SortHeader(page, "tempo").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sort-chip")).ToHaveTextAsync(["1 BPM ↑"]);
        await SortHeader(page, "energy").ClickAsync();
        var order = page.GetByTestId("sort-order");
        await Assertions.Expect(order.GetByTestId("sort-chip")).ToHaveTextAsync(["1 BPM ↑", "2 Energy ↑"]);
        await Assertions.Expect(order).ToBeInViewportAsync();
        await Assertions.Expect(SortHeader(page, "tempo")).ToHaveAccessibleNameAsync(new Regex("sort key 1, ascending"));
        await Assertions.Expect(SortHeader(page, "energy")).ToHaveAccessibleNameAsync(new Regex("sort key 2, ascending"));

        // The table shows the tracks in that order: its first rows are the first rows of the cluster sorted by tempo,
        // then energy (read from the CSV export at full precision and checked to be in that order).
        await ExpectFirstTitlesAsync(page, await SortedCsvNamesAsync(page, cluster, "tempo,energy"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"sorted-by-bpm-then-energy-{screen}-{theme}.png") });

        // A second click on BPM reverses it and keeps Energy second.
        await SortHeader(page, "tempo").ClickAsync();
        await Assertions.Expect(order.GetByTestId("sort-chip")).ToHaveTextAsync(["1 BPM ↓", "2 Energy ↑"]);
        await ExpectFirstTitlesAsync(page, await SortedCsvNamesAsync(page, cluster, "-tempo,energy"));

        await page.GetByTestId("sort-clear").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sort-none")).ToBeVisibleAsync();
    }

    [BrowserTheory, MemberData(nameof(BrowserViews.All), MemberType = typeof(BrowserViews))]
    public async Task ClusterNamesAgreeWithTheNumbersShownBesideThem(Screen screen, Theme theme)
    {
        var page = await app.SignedInPageAsync(BrowserViews.SizeOf(screen));
        await BrowserViews.GotoAsync(page, "/library", theme);
        await Assertions.Expect(page.GetByTestId("library-content")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // Each card: its name, the typical BPM printed under it ("120 tracks · ~128 BPM") and its sound profile, the
        // chart's bars on a 0–100 scale (tempo, energy, danceability, valence, loudness), in words as the chart's name.
        var cards = new List<(string Name, ClusterNamer.Level?[] Words, double Bpm, double[] Profile)>();
        foreach (var card in await page.GetByTestId("cluster-card").AllAsync())
        {
            await Assertions.Expect(card).ToBeVisibleAsync();
            var name = (await card.Locator("h2").InnerTextAsync()).Trim();
            var line = await card.GetByTestId("cluster-size").Locator("xpath=..").InnerTextAsync();
            var bpm = Regex.Match(line, @"~(\d+) BPM");
            Assert.True(bpm.Success, $"no BPM beside '{name}': {line}");
            var profileText = await card.GetByTestId("cluster-profile").GetAttributeAsync("aria-label") ?? "";
            var profile = Regex.Matches(profileText, @"(\w+) (\d+) \(library \d+\)").Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToArray();
            Assert.True(profile.Length == 5, $"'{name}': the profile is not five values: {profileText}");

            // A name speaks about a feature only when it is among what sets the cluster apart (e.g. fast, mid-tempo,
            // slow); about the others it says nothing.
            var words = new ClusterNamer.Level?[5];
            foreach (var word in name.Split(ClusterNamer.Separator).Select(ClusterNamer.Parse).OfType<(int Feature, ClusterNamer.Level Level)>())
            {
                words[word.Feature] = word.Level;
            }

            cards.Add((name, words, double.Parse(bpm.Groups[1].Value, CultureInfo.InvariantCulture), profile));
        }

        // A cluster whose name puts it above another on a feature ("fast" over "mid-tempo" or "slow", "loud" over
        // "quiet") shows the higher number for it: BPM for tempo, and the profile's bar for every feature.
        var compared = 0;
        for (var f = 0; f < 5; f++)
        {
            var feature = f;
            foreach (var higher in cards.Where(c => c.Words[feature] is not null))
            {
                foreach (var lower in cards.Where(c => c.Words[feature] is not null && c.Words[feature] < higher.Words[feature]))
                {
                    var (word, lowerWord) = (ClusterNamer.Word(feature, higher.Words[feature]!.Value), ClusterNamer.Word(feature, lower.Words[feature]!.Value));
                    Assert.True(higher.Profile[feature] > lower.Profile[feature],
                        $"'{higher.Name}' ({word}) shows {higher.Profile[feature]} on its profile, not more than '{lower.Name}' ({lowerWord}) at {lower.Profile[feature]}");
                    if (feature == 0)
                    {
                        Assert.True(higher.Bpm > lower.Bpm, $"'{higher.Name}' shows ~{higher.Bpm} BPM, not more than '{lower.Name}' at ~{lower.Bpm} BPM");
                    }

                    compared++;
                }
            }
        }

        // A high or low word says on which side of the other clusters this one is: a "calm" cluster shows less energy
        // than the other clusters do on average, a "loud" one more loudness (issue 13.11 saw a "calm" cluster more
        // energetic than others; the fixture's catalog is one where names measured against the catalog did that).
        var all = string.Join("; ", cards.Select(c => $"{c.Name} ~{c.Bpm} BPM [{string.Join(", ", c.Profile)}]"));
        var placed = 0;
        for (var c = 0; c < cards.Count; c++)
        {
            var card = cards[c];
            var others = cards.Where((_, o) => o != c).ToList();
            for (var f = 0; f < 5; f++)
            {
                if (card.Words[f] is not { } level || level == ClusterNamer.Level.Mid)
                {
                    continue;
                }

                var (word, sign) = (ClusterNamer.Word(f, level), level == ClusterNamer.Level.High ? 1 : -1);
                var othersMean = others.Average(o => o.Profile[f]);
                Assert.True(sign * (card.Profile[f] - othersMean) > 0,
                    $"'{card.Name}' ({word}) shows {card.Profile[f]} on its profile, the other clusters {othersMean:0.#} on average: {all}");
                if (f == 0)
                {
                    var othersBpm = others.Average(o => o.Bpm);
                    Assert.True(sign * (card.Bpm - othersBpm) > 0, $"'{card.Name}' ({word}) shows ~{card.Bpm} BPM, the other clusters ~{othersBpm:0} on average: {all}");
                }

                placed++;
            }
        }

        // The seeded model's names contrast its clusters on several features, so the checks above are not empty.
        Assert.True(compared >= 3 && placed >= 6, $"only {compared} comparisons between names and {placed} words placed among the other clusters: {all}");
    }

    [BrowserTheory, MemberData(nameof(BrowserViews.All), MemberType = typeof(BrowserViews))]
    public async Task TheDemoSaysWhyItCannotSaveAPlaylist_AndTheTracksNotClusteredAreListed(Screen screen, Theme theme)
    {
        // Save as playlist: still there, disabled, with the reason beside it (the demo has no Spotify account).
        var page = await app.OpenClusterAsync(screen, theme);
        await Assertions.Expect(page.GetByTestId("save-playlist-unavailable")).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByTestId("save-playlist")).ToHaveCountAsync(0);
        var reason = page.GetByTestId("playlist-unavailable");
        await Assertions.Expect(reason).ToBeVisibleAsync();
        await Assertions.Expect(reason).ToContainTextAsync("the demo has no Spotify account");
        await Assertions.Expect(reason).ToContainTextAsync("Export the cluster as CSV");

        // The Recs model off: the 20 tracks the catalog does not know are counted as not clustered, and listed by name.
        await BrowserViews.GotoAsync(page, "/library", theme);
        await Assertions.Expect(page.GetByTestId("library-content")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var toggle = page.Locator("input[data-testid=use-recs-model]");
        await Assertions.Expect(toggle).ToBeCheckedAsync();
        await toggle.ClickAsync();
        try
        {
            await Assertions.Expect(page.GetByTestId("coverage-predicted")).ToHaveTextAsync("0");
            await Assertions.Expect(page.GetByTestId("coverage-total")).ToHaveTextAsync("140");
            await Assertions.Expect(page.GetByTestId("coverage-clustered")).ToHaveTextAsync("120");
            var unclustered = page.GetByTestId("unclustered");
            await Assertions.Expect(unclustered).ToContainTextAsync("Not clustered: 20 tracks");
            await unclustered.GetByText("Not clustered").ClickAsync();
            var first = page.GetByTestId("unclustered-track").First;
            await Assertions.Expect(first).ToBeVisibleAsync();
            await first.ScrollIntoViewIfNeededAsync();
            await Assertions.Expect(first).ToBeInViewportAsync();

            // Every counted track is in the list (it is virtualised: scroll it to the end to see them all).
            var list = unclustered.GetByRole(AriaRole.List, new() { Name = "Tracks not clustered" });
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var step = 0; step < 10; step++)
            {
                foreach (var text in await page.GetByTestId("unclustered-track").AllInnerTextsAsync())
                {
                    names.Add(text.Split(" — ")[0].Trim());
                }

                if (await list.EvaluateAsync<bool>("e => e.scrollTop + e.clientHeight >= e.scrollHeight - 1"))
                {
                    break;
                }

                await list.EvaluateAsync("e => e.scrollBy(0, e.clientHeight)");
                await page.WaitForTimeoutAsync(100);
            }

            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"Fresh song {i}").Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        }
        finally
        {
            // The choice is remembered for the listener: leave it on for the other tests of the class.
            if (!await toggle.IsCheckedAsync())
            {
                await toggle.ClickAsync();
                await Assertions.Expect(toggle).ToBeCheckedAsync();
            }
        }
    }

    /// <summary>The id of the library's largest cluster, read from its card on the library page.</summary>
    private static async Task<int> LargestClusterAsync(IPage page, Theme theme)
    {
        await BrowserViews.GotoAsync(page, "/library", theme);
        await Assertions.Expect(page.GetByTestId("library-content")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var sizes = new List<(int Id, int Size)>();
        foreach (var card in await page.GetByTestId("cluster-card").AllAsync())
        {
            sizes.Add((int.Parse((await card.GetAttributeAsync("data-cluster-id"))!, CultureInfo.InvariantCulture),
                int.Parse(await card.GetByTestId("cluster-size").InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture)));
        }

        Assert.NotEmpty(sizes);
        return sizes.MaxBy(s => s.Size).Id;
    }

    /// <summary>The sort button for <paramref name="column"/> that is shown at the page's current size.</summary>
    private static ILocator SortHeader(IPage page, string column) => page.Locator($"[data-testid=sort-{column}]:visible");

    /// <summary>The names of the cluster's tracks in the CSV export sorted by <paramref name="sort"/>, checked to be in that order.</summary>
    private static async Task<string[]> SortedCsvNamesAsync(IPage page, int cluster, string sort)
    {
        var response = await page.APIRequest.GetAsync($"/api/clusters/{cluster}/csv?use_recs_model=true&sort={sort}");
        Assert.True(response.Ok, $"the CSV export answered {response.Status}");
        var rows = new List<string[]>();
        using (var csv = Recs.Core.Csv.CsvRecordReader.FromText(await response.TextAsync()))
        {
            var fields = new List<string>();
            while (csv.TryRead(fields))
            {
                rows.Add([.. fields]);
            }
        }

        Assert.Equal("track_id,name,artists,tempo,energy", string.Join(",", rows[0].Take(5)));
        rows.RemoveAt(0);
        Assert.True(rows.Count >= 10, $"only {rows.Count} tracks in cluster {cluster}");

        // track_id,name,artists,tempo,energy,…: check the export is in the order asked for.
        var keys = sort.Split(',').Select(k => (Index: k.TrimStart('-') == "tempo" ? 3 : 4, Sign: k.StartsWith('-') ? -1 : 1)).ToArray();
        for (var i = 1; i < rows.Count; i++)
        {
            var compare = 0;
            foreach (var (index, sign) in keys)
            {
                compare = sign * double.Parse(rows[i - 1][index], CultureInfo.InvariantCulture).CompareTo(double.Parse(rows[i][index], CultureInfo.InvariantCulture));
                if (compare != 0)
                {
                    break;
                }
            }

            Assert.True(compare <= 0, $"the export sorted by {sort} has row {i} ({string.Join(",", rows[i - 1])}) before row {i + 1} ({string.Join(",", rows[i])})");
        }

        return rows.Select(r => r[1]).ToArray();
    }

    /// <summary>Waits until the table's first rendered titles are the first of <paramref name="expected"/>.</summary>
    private static async Task ExpectFirstTitlesAsync(IPage page, string[] expected)
    {
        var titles = page.GetByTestId("tracks").GetByTestId("track-title");
        await Assertions.Expect(titles.First).ToHaveTextAsync(expected[0]);
        var shown = await titles.AllInnerTextsAsync();
        var n = Math.Min(5, shown.Count);
        Assert.True(n >= 2, "fewer than two rows in the table");
        Assert.Equal(expected.Take(n), shown.Take(n).Select(t => t.Trim()));
    }
}
