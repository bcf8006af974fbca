using System.Globalization;
using Recs.Web.Jobs;

namespace Recs.Web.Components.Pages.Admin;

/// <summary>How the admin pages write counts, rates and times.</summary>
public static class JobFormat
{
    public static string Counts(JobSnapshot job) => job.Total is { } total
        ? $"{job.Done.ToString("N0", CultureInfo.InvariantCulture)} of {total.ToString("N0", CultureInfo.InvariantCulture)}"
        : job.Done.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(JobSnapshot job) => job.RatePerSecond is { } rate
        ? $"{rate.ToString(rate < 10 ? "N1" : "N0", CultureInfo.InvariantCulture)}/s"
        : "–";

    public static string Eta(JobSnapshot job) => job.Eta is not { } eta ? "–"
        : eta.TotalHours >= 1 ? $"{(int)eta.TotalHours} h {eta.Minutes} min"
        : eta.TotalMinutes >= 1 ? $"{eta.Minutes} min {eta.Seconds} s"
        : $"{Math.Max(0, eta.Seconds)} s";

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "–";
}
