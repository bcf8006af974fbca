using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Jobs;
using Recs.Tests.TestSupport;
using Recs.Web.Jobs;

namespace Recs.Tests.Web.Jobs;

/// <summary>Cancel racing a run's end, uploads no job refers to, import progress and the upload size text (issues 11.4, 13.5, 13.7).</summary>
public sealed class JobHousekeepingTests
{
    [Fact]
    public void AStopRequestAfterTheRunEndedIsRefusedInsteadOfCancellingADisposedSource()
    {
        var run = new ActiveRun(JobKind.Enrichment, resumable: true, new CancellationTokenSource());
        run.Dispose(); // what Unregister does when the run ends

        Assert.False(run.TryRequest(RunStop.Cancel, "admin-1"));
    }

    [Fact]
    public async Task CancelRacingTheEndOfRunsNeverThrowsAndAlwaysAnswers()
    {
        await using var app = new RecsWebFactory();
        var jobs = app.Services.GetRequiredService<JobService>();
        for (var i = 0; i < 500; i++)
        {
            var id = Guid.NewGuid();
            var run = jobs.Register(id, JobKind.Training, resumable: false, CancellationToken.None);
            var ending = Task.Run(() => jobs.Unregister(id));
            var cancelling = Task.Run(() => jobs.CancelAsync(id, "admin-1"));
            await ending;
            var answer = await cancelling; // the old code could throw ObjectDisposedException here
            Assert.True(answer.Ok || answer.NotFound, answer.Message);
            Assert.True(!answer.Ok || run.Stop == RunStop.Cancel);
        }
    }

    [Fact]
    public async Task UploadsNoJobRefersToAreDeletedAtStartUpAndWhenAJobEnds()
    {
        using var dataDir = new TempDirectory();
        var uploads = Path.Combine(dataDir.Path, "uploads");
        Directory.CreateDirectory(uploads);
        var crashed = Old(Path.Combine(uploads, "20261201-000000-aaaa-crashed.csv"));
        var partial = Old(Path.Combine(uploads, "20261201-000000-bbbb-died.csv.partial"));
        var fresh = Path.Combine(uploads, "20261206-000000-cccc-being-saved.csv");
        File.WriteAllText(fresh, "header\n");

        var handler = new ScriptedJobHandler(JobKind.ImportCatalog, resumable: false);
        await using var app = new RecsWebFactory(dataDir.Path).WithServices(handler.Register());
        var jobs = app.Services.GetRequiredService<JobService>();

        // Start-up: the interrupted import's upload and the half-written one go; the one saved a moment ago stays.
        Assert.False(File.Exists(crashed));
        Assert.False(File.Exists(partial));
        Assert.True(File.Exists(fresh));

        // A job's own upload stays while it runs; an orphan left meanwhile goes when any job ends.
        var own = Old(Path.Combine(uploads, "20261206-000001-dddd-own.csv"));
        var id = (await jobs.StartAsync(new ImportCatalogParameters(own, "own.csv"), "admin-1")).JobId!.Value;
        await handler.NextRunAsync();
        var orphan = Old(Path.Combine(uploads, "20261206-000002-eeee-orphan.csv"));
        var genres = await jobs.StartAsync(new ImportArtistGenresParameters("/nonexistent/g.csv", "g.csv"), "admin-1");
        await app.Services.WaitForJobAsync(genres.JobId!.Value, j => j.IsFinished); // fails: no such file
        await WaitGoneAsync(orphan);
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(own), "the running job's upload must stay");

        Assert.True((await jobs.CancelAsync(id, "admin-1")).Ok);
        await app.Services.WaitForJobAsync(id, j => j.IsFinished);
        await WaitGoneAsync(own);
        Assert.False(File.Exists(own), "a cancelled job's upload goes with it");
    }

    [Fact]
    public async Task AnImportReportsRowsWhileItIsStillReadingTheFile()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var dataDir = new TempDirectory();
        var fifo = Path.Combine(dataDir.Path, "catalog.csv");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }

        await using var app = new RecsWebFactory(dataDir.Path).With("Jobs:ProgressInterval", "00:00:00.050");
        var jobs = app.Services.GetRequiredService<JobService>();
        var id = (await jobs.StartAsync(new ImportCatalogParameters(fifo, "catalog.csv"), "admin-1")).JobId!.Value;

        // The file arrives through a pipe: 12,000 rows, then nothing until the test has seen progress. The import's
        // transaction is open all that time, so on the old path the job stayed at "done 0".
        await using var pipe = new StreamWriter(new FileStream(fifo, FileMode.Open, FileAccess.Write));
        await pipe.WriteAsync(CatalogCsv.KaggleHeader + "\n");
        var csv = new CatalogCsv();
        for (var i = 1; i <= 15_000; i++)
        {
            csv.Row(CatalogCsv.Id(i), "pop", ("track_name", $"Song {i}"), ("artists", $"Artist {i % 700}"));
        }

        var rows = csv.ToString().Split('\n', 2)[1].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var row in rows.Take(12_000))
        {
            await pipe.WriteAsync(row + "\n");
        }

        await pipe.FlushAsync();
        var seen = await app.Services.WaitForJobAsync(id, j => j is { Status: JobStatus.Running, Done: >= 10_000 }, TimeSpan.FromSeconds(30));
        Assert.InRange(seen.Done, 10_000, 12_000);
        Assert.True((await jobs.GetAsync(id))!.Done >= 10_000, "what the API returns shows the rows read too");

        foreach (var row in rows.Skip(12_000))
        {
            await pipe.WriteAsync(row + "\n");
        }

        await pipe.DisposeAsync();
        var done = await app.Services.WaitForJobAsync(id, j => j.IsFinished, TimeSpan.FromSeconds(60));
        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error}");
        Assert.Equal(15_000, done.Done);
    }

    [Theory]
    [InlineData(0, "0 bytes")]
    [InlineData(1, "1 byte")]
    [InlineData(1023, "1,023 bytes")]
    [InlineData(1024, "1 KB")]
    [InlineData(1_000_000, "977 KB")]
    [InlineData(1_572_864, "1.5 MB")]
    [InlineData(1_048_575, "1 MB")]
    [InlineData(512L * 1024 * 1024, "512 MB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3 GB")]
    public void SizesArePrintedForPeople(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));

    [Fact]
    public async Task TheUploadLimitAnswerSaysTheLimitReadably()
    {
        await using var app = new RecsWebFactory().With("Jobs:MaxUploadBytes", "1000000")
            .With("Recs:Admins:0", "admin-1")
            .With("Spotify:ClientId", "test-client")
            .With("Spotify:ClientSecret", "test-secret")
            .WithServices(TestSignIn.Register);
        using var client = await TestSignIn.ClientAsync(app, "admin-1");
        using var content = new ByteArrayContent(new byte[1_100_000]);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        using var response = await client.PostAsync("/admin/api/jobs/import-catalog?file_name=big.csv", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("977 KB", body);
        Assert.Contains("1,000,000 bytes", body);
        Assert.DoesNotContain("0 MB", body);
    }

    /// <summary>Watchers are told of a job's end first, then the uploads are cleaned up: give that a moment.</summary>
    private static async Task WaitGoneAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (File.Exists(path) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    private static string Old(string path)
    {
        File.WriteAllText(path, "track_id\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        return path;
    }
}
