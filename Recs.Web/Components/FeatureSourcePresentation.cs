using MudBlazor;
using Recs.Core;

namespace Recs.Web.Components;

/// <summary>
/// How a <see cref="FeatureSource"/> looks in the UI: the same words on the cluster table's column and its source filter
/// and, as <see cref="Heading"/>, on the coverage summary ("From your file", "From the catalog", …). A predicted track also shows its confidence tier
/// (<see cref="ConfidenceTierPresentation"/>). Its spelling in JSON, CSV and URLs is <see cref="FeatureSources.Name"/>.
/// </summary>
public static class FeatureSourcePresentation
{
    /// <summary>Short label for a table cell or a filter choice: "your file", "catalog", "features service", "predicted".</summary>
    public static string Label(FeatureSource source) => source switch
    {
        FeatureSource.File => "your file",
        FeatureSource.Catalog => "catalog",
        FeatureSource.Service => "features service",
        _ => "predicted",
    };

    /// <summary>The coverage summary's caption over a source's count: "From your file", …, "Predicted".</summary>
    public static string Heading(FeatureSource source) => source switch
    {
        FeatureSource.File => "From your file",
        FeatureSource.Catalog => "From the catalog",
        FeatureSource.Service => "From a features service",
        _ => "Predicted",
    };

    /// <summary>The chip colour: real features in the success colour, a prediction in its confidence tier's colour.</summary>
    public static Color Color(FeatureSource source, ConfidenceTier? tier) =>
        FeatureSources.IsReal(source) ? MudBlazor.Color.Success : ConfidenceTierPresentation.Color(tier);

    /// <summary>The chip text: the source, and for a prediction its tier ("predicted · artist known").</summary>
    public static string Text(FeatureSource source, ConfidenceTier? tier) =>
        FeatureSources.IsReal(source) ? Label(source) : $"{Label(source)} · {ConfidenceTierPresentation.Label(tier)}";
}
