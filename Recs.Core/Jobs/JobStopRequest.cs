namespace Recs.Core.Jobs;

/// <summary>A stop asked of a running job through the database (any instance may ask; the owner carries it out).</summary>
public enum JobStopRequest
{
    Cancel,
    Pause,
}
