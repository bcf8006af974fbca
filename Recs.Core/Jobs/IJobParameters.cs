namespace Recs.Core.Jobs;

/// <summary>
/// The parameters of one kind of job: a record per kind, so that a start names its kind by its type and can never
/// pair one kind with another's parameters (<c>jobs.StartAsync(new TrainingParameters(K: 8), who)</c>). Stored on the
/// job as snake_case JSON (<see cref="JobJson"/>) and read back by the kind's handler with <see cref="JobRun.Parameters{T}"/>.
/// </summary>
public interface IJobParameters
{
    /// <summary>The kind of job these parameters start.</summary>
    static abstract JobKind Kind { get; }
}

/// <summary>Parameters of a job that runs from a file uploaded to <c>{data}/uploads</c>; the upload belongs to the job until it ends.</summary>
public interface IUploadJobParameters : IJobParameters
{
    /// <summary>Absolute path of the saved upload.</summary>
    string Path { get; }
}
