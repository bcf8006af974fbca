using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recs.Core.Catalog;

namespace Recs.Core.Persistence.Configurations;

internal sealed class CatalogTrackConfiguration : IEntityTypeConfiguration<CatalogTrack>
{
    public void Configure(EntityTypeBuilder<CatalogTrack> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(64);
        builder.Property(t => t.Source).HasMaxLength(32);
        builder.HasIndex(t => new { t.PrimaryArtistKey, t.TitleKey });
        builder.HasIndex(t => t.Source);
        builder.HasIndex(t => t.EnrichedByJobId);
        builder.Ignore(t => t.Features);
    }
}

internal sealed class ArtistConfiguration : IEntityTypeConfiguration<Artist>
{
    public void Configure(EntityTypeBuilder<Artist> builder)
    {
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => a.NameKey).IsUnique();
        builder.HasIndex(a => a.SpotifyId);
        builder.Ignore(a => a.TableFeatures);
    }
}
