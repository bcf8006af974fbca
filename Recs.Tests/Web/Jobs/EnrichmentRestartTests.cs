using System.Diagnostics;
using System.Web;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Catalog;
using Recs.Core.Jobs;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;
using Recs.Tests.TestSupport.FakeSpotify;

namespace Recs.Tests.Web.Jobs;

/// <summary>
/// The honest version of "survives a restart": the real app as a child process (<c>dotnet Recs.Web.dll</c>) enriching
/// against the fake Spotify, killed in the middle of the job, then started again on the same data directory.
/// </summary>
public sealed class EnrichmentRestartTests
{
    private const int Tracks = 60;
    private const int BatchSize = 5;

    [Fact]
    public async Task KillingTheAppDuringEnrichmentAndStartingItAgainResumesTheJobWhereItStoppedWithNothingLost()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(FakeSpotifyProfile.ExtendedQuota);
        var fakeTracks = spotify.Data.GenerateCatalog(Tracks, artistCount: 12);
        using var dataDir = new TempDirectory();
        Guid jobId;
        await using (var db = Open(dataDir.Path))
        {
            await db.Database.MigrateAsync();
            db.CatalogTracks.AddRange(fakeTracks.Select(t => new CatalogTrack
            {
                Id = t.Id!, Name = "catalog name", Artists = "someone", Tempo = 120, Energy = 0.5, Danceability = 0.5, Valence = 0.5, Loudness = -8,
            }));
            // Queued as the admin page would queue it: the app's recovery picks it up when it starts.
            var job = Job.Create(new EnrichmentParameters(BatchSize: BatchSize, Delay: 0.25), "admin-1", DateTimeOffset.UtcNow);
            db.Jobs.Add(job);
            jobId = job.Id;
            await db.SaveChangesAsync();
        }

        // First run: kill it once some chunks are stored and the job is visibly running.
        using (var first = StartApp(dataDir.Path, spotify))
        {
            await WaitUntilAsync(dataDir.Path, first, async db =>
                await db.CatalogTracks.CountAsync(t => t.EnrichedAt != null) >= 3 * BatchSize);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        int enrichedBeforeKill;
        await using (var db = Open(dataDir.Path))
        {
            enrichedBeforeKill = await db.CatalogTracks.CountAsync(t => t.EnrichedAt != null);
            var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
            Assert.Equal(JobStatus.Running, job.Status); // a killed process leaves it as it was
            Assert.InRange(enrichedBeforeKill, 3 * BatchSize, Tracks - 1);
        }

        var requestsBeforeRestart = TrackIdsRequested(spotify);

        // Second run on the same data directory: recovery queues the job again and it finishes.
        using (var second = StartApp(dataDir.Path, spotify))
        {
            await WaitUntilAsync(dataDir.Path, second, async db =>
                (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId)).Status is not (JobStatus.Queued or JobStatus.Running));
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        await using (var db = Open(dataDir.Path))
        {
            var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
            Assert.True(job.Status == JobStatus.Succeeded, $"{job.Status}: {job.Error}");
            Assert.Equal(2, job.Runs);
            Assert.Equal(Tracks, job.Done);
            Assert.Equal(Tracks, job.Total);
            Assert.Equal("extended", job.SpotifyMode);

            // Nothing lost: every track carries Spotify's metadata.
            var rows = await db.CatalogTracks.AsNoTracking().ToListAsync();
            var byId = fakeTracks.ToDictionary(t => t.Id!);
            Assert.All(rows, r =>
            {
                Assert.NotNull(r.EnrichedAt);
                Assert.Equal(byId[r.Id].ReleaseDate, r.ReleaseDate);
                Assert.Equal(byId[r.Id].DurationMs, r.DurationMs);
            });
        }

        // Nothing repeated beyond the one chunk that may have been in flight at the kill.
        var requestsAfterRestart = TrackIdsRequested(spotify).Skip(requestsBeforeRestart.Count).ToList();
        Assert.InRange(requestsAfterRestart.Count, Tracks - enrichedBeforeKill, Tracks - enrichedBeforeKill + BatchSize);
        Assert.Equal(Tracks, TrackIdsRequested(spotify).Distinct().Count());
    }

    private static RecsDbContext Open(string dataDir) => new(new DbContextOptionsBuilder<RecsDbContext>()
        .UseSqlite($"Data Source={Path.Combine(dataDir, "recs.db")}").Options);

    /// <summary>Every track id asked of the fake, in order (batch and single-track requests).</summary>
    private static List<string> TrackIdsRequested(FakeSpotifyServer spotify) => spotify.ApiRequests
        .Where(r => r.Method == "GET" && r.Path.StartsWith("/v1/tracks", StringComparison.Ordinal) && r.Status == 200)
        .SelectMany(r => r.Path.Length > "/v1/tracks/".Length
            ? [r.Path["/v1/tracks/".Length..]]
            : (HttpUtility.ParseQueryString(r.Query).Get("ids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        .ToList();

    private static Process StartApp(string dataDir, FakeSpotifyServer spotify)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Recs.Web.dll"),
            "--data-dir", dataDir,
            "--urls", "http://127.0.0.1:0",
            "--Recs:SeedDemo=false",
            $"--Spotify:ClientId={spotify.ClientId}",
            $"--Spotify:ClientSecret={spotify.ClientSecret}",
            $"--Spotify:AccountsBaseUrl={spotify.AccountsBaseUrl}",
            $"--Spotify:ApiBaseUrl={spotify.ApiBaseUrl}",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = Process.Start(start)!;
        // Drain the pipes so the child never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits for a state the child process writes to the database (it has no other channel to the test).</summary>
    private static async Task WaitUntilAsync(string dataDir, Process app, Func<RecsDbContext, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(app.HasExited, $"the app exited early with code {(app.HasExited ? app.ExitCode : 0)}");
            await using (var db = Open(dataDir))
            {
                if (await db.Database.CanConnectAsync() && await condition(db))
                {
                    return;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the app never reached the expected state");
    }
}
