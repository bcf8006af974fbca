using Recs.Core.Jobs;

namespace Recs.Tests.Core.Jobs;

/// <summary>The job's own transitions (issue 11.4): every command is allowed from exactly the statuses its rule names.</summary>
public sealed class JobStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    /// <summary>Each command and the statuses it is allowed from.</summary>
    private static readonly (string Name, Action<Job> Apply, JobStatus[] From, JobStatus To)[] Commands =
    [
        ("Start", j => j.Start(Now), [JobStatus.Queued], JobStatus.Running),
        ("ReportProgress", j => j.ReportProgress(1, 2, "x", null, null, Now), [JobStatus.Running], JobStatus.Running),
        ("Pause", j => j.Pause("paused", Now), [JobStatus.Running], JobStatus.Paused),
        ("Queue", j => j.Queue("again", Now), [JobStatus.Paused, JobStatus.Running], JobStatus.Queued),
        ("Succeed", j => j.Succeed(null, "done", Now), [JobStatus.Running], JobStatus.Succeeded),
        ("Fail", j => j.Fail("broken", Now), [JobStatus.Queued, JobStatus.Running], JobStatus.Failed),
        ("Cancel", j => j.Cancel("admin", Now), [JobStatus.Queued, JobStatus.Running, JobStatus.Paused], JobStatus.Cancelled),
        ("Interrupt", j => j.Interrupt("gone", "interrupted", Now), [JobStatus.Queued, JobStatus.Running], JobStatus.Interrupted),
        ("Note", j => j.Note("stopping", Now), [JobStatus.Running], JobStatus.Running),
    ];

    public static TheoryData<string, JobStatus> EveryCommandFromEveryStatus()
    {
        var data = new TheoryData<string, JobStatus>();
        foreach (var command in Commands)
        {
            foreach (var status in Enum.GetValues<JobStatus>())
            {
                data.Add(command.Name, status);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCommandFromEveryStatus))]
    public void ACommandChangesTheJobOnlyFromTheStatusesItsRuleAllows(string name, JobStatus from)
    {
        var command = Commands.Single(c => c.Name == name);
        var job = JobIn(from);
        var before = (job.Status, job.Runs, job.FinishedAt);

        if (command.From.Contains(from))
        {
            command.Apply(job);
            Assert.Equal(command.To, job.Status);
            Assert.Equal(Job.IsFinal(command.To), job.FinishedAt is not null);
        }
        else
        {
            var ex = Assert.Throws<InvalidJobTransitionException>(() => command.Apply(job));
            Assert.Equal(from, ex.From);
            Assert.Contains($"cannot {name} while it is {from}", ex.Message);
            Assert.Equal(before, (job.Status, job.Runs, job.FinishedAt)); // nothing changed
        }
    }

    [Fact]
    public void StartingAgainAfterAPauseIsAResumeAndCountsTheRun()
    {
        var job = Job.Create(new EnrichmentParameters(Limit: 10), "admin-1", Now);
        Assert.False(job.Start(Now));
        job.ReportProgress(4, 10, "four", "extended", 2.0, Now);
        job.Pause("quota", Now, Now.AddHours(1));
        Assert.Equal(Now.AddHours(1), job.PausedUntil);
        job.Queue("resumed by admin", Now);
        Assert.Null(job.PausedUntil);

        Assert.True(job.Start(Now.AddMinutes(1)));
        Assert.Equal(2, job.Runs);
        Assert.Equal(Now, job.StartedAt);
        Assert.Equal(4, job.Done);
    }

    [Fact]
    public void AJobTakesItsKindFromItsParameters()
    {
        Assert.Equal(JobKind.Training, Job.Create(new TrainingParameters(K: 5), "a", Now).Kind);
        Assert.Equal(JobKind.Enrichment, Job.Create(new EnrichmentParameters(), "a", Now).Kind);
        Assert.Equal(JobKind.ImportCatalog, Job.Create(new ImportCatalogParameters("/p", "f.csv"), "a", Now).Kind);
        Assert.Equal(JobKind.ImportArtistGenres, Job.Create(new ImportArtistGenresParameters("/p", "f.csv"), "a", Now).Kind);
        Assert.Equal(5, JobJson.Deserialize<TrainingParameters>(Job.Create(new TrainingParameters(K: 5), "a", Now).ParametersJson).K);
    }

    /// <summary>A job brought to <paramref name="status"/> through its own commands.</summary>
    private static Job JobIn(JobStatus status)
    {
        var job = Job.Create(new EnrichmentParameters(), "admin-1", Now);
        switch (status)
        {
            case JobStatus.Queued:
                break;
            case JobStatus.Running:
                job.Start(Now);
                break;
            case JobStatus.Paused:
                job.Start(Now);
                job.Pause("paused", Now);
                break;
            case JobStatus.Succeeded:
                job.Start(Now);
                job.Succeed(null, null, Now);
                break;
            case JobStatus.Failed:
                job.Fail("x", Now);
                break;
            case JobStatus.Cancelled:
                job.Cancel("x", Now);
                break;
            case JobStatus.Interrupted:
                job.Interrupt("x", "x", Now);
                break;
        }

        Assert.Equal(status, job.Status);
        return job;
    }
}
