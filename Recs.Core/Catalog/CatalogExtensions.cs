using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Recs.Core.Catalog;

public static class CatalogExtensions
{
    /// <summary>Registers the catalog importers (Kaggle / library export / TidyTuesday tracks, artist → genres table).</summary>
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<CatalogImporter>();
        builder.Services.TryAddSingleton<CatalogRevision>();
        builder.Services.TryAddSingleton<ArtistGenresImporter>();
        return builder;
    }
}
