using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recs.Core.Jobs;
using Recs.Core.Prediction;

namespace Recs.Core.Persistence.Configurations;

internal sealed class ModelVersionConfiguration : IEntityTypeConfiguration<ModelVersion>
{
    public void Configure(EntityTypeBuilder<ModelVersion> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).HasMaxLength(64);
        builder.HasIndex(m => m.IsActive);
    }
}

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(j => new { j.Kind, j.Status });
        builder.Ignore(j => j.IsFinished);
        builder.Ignore(j => j.Eta);
    }
}
