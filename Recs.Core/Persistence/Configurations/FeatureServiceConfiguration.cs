using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recs.Core.FeatureServices;

namespace Recs.Core.Persistence.Configurations;

internal sealed class FeatureServiceMissConfiguration : IEntityTypeConfiguration<FeatureServiceMiss>
{
    public void Configure(EntityTypeBuilder<FeatureServiceMiss> builder)
    {
        builder.HasKey(m => m.TrackId);
        builder.Property(m => m.TrackId).HasMaxLength(64);
        builder.HasIndex(m => m.MissedAt);
    }
}

internal sealed class AdminSettingConfiguration : IEntityTypeConfiguration<AdminSetting>
{
    public void Configure(EntityTypeBuilder<AdminSetting> builder)
    {
        builder.HasKey(s => s.Key);
        builder.Property(s => s.Key).HasMaxLength(128);
        builder.Property(s => s.Value).HasMaxLength(1024);
    }
}
