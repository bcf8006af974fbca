using System.ComponentModel.DataAnnotations;
using Recs.Core;

namespace Recs.Web.Libraries;

/// <summary>Valid when the value is empty or a <see cref="FeatureSource"/> wire name (<see cref="FeatureSources.TryParse"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class FeatureSourceNameAttribute : ValidationAttribute
{
    public FeatureSourceNameAttribute()
        : base(() => $"The field {{0}} must be one of {string.Join(", ", FeatureSources.All.Select(FeatureSources.Name))}.")
    {
    }

    public override bool IsValid(object? value) =>
        value is null || (value is string s && (string.IsNullOrWhiteSpace(s) || FeatureSources.TryParse(s, out _)));
}
