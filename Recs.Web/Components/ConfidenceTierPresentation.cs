using MudBlazor;
using Recs.Core;

namespace Recs.Web.Components;

/// <summary>
/// How a <see cref="ConfidenceTier"/> looks in the UI — the same words and colour on the cluster table and in the
/// coverage summary. (Its spelling in JSON and CSV is <see cref="ConfidenceTierNames.SnakeName"/>.)
/// </summary>
public static class ConfidenceTierPresentation
{
    /// <summary>The tiers in the order they are shown: most trusted first.</summary>
    public static IReadOnlyList<ConfidenceTier> Ordered { get; } = [ConfidenceTier.ArtistKnown, ConfidenceTier.GenresOnly, ConfidenceTier.Nothing];

    public static string Label(ConfidenceTier? tier) => tier switch
    {
        ConfidenceTier.ArtistKnown => "artist known",
        ConfidenceTier.GenresOnly => "genres only",
        _ => "little known",
    };

    public static Color Color(ConfidenceTier? tier) => tier switch
    {
        ConfidenceTier.ArtistKnown => MudBlazor.Color.Info,
        ConfidenceTier.GenresOnly => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Error,
    };
}
