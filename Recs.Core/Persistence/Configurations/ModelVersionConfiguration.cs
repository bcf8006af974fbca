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
    internal const string ActiveFilter = "\"Status\" IN ('Queued', 'Running', 'Paused')";

    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(j => new { j.Kind, j.Status });

        // One active job per kind, held by the database for every instance (ADR-112): a second start anywhere fails to
        // insert. The filter is the same SQL on SQLite and PostgreSQL (statuses are stored by name).
        builder.HasIndex(j => j.Kind).IsUnique().HasFilter(ActiveFilter).HasDatabaseName("IX_Jobs_OneActivePerKind");
        builder.Property(j => j.Owner).HasMaxLength(200);
        builder.Property(j => j.StopRequested).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.Version).IsConcurrencyToken();
        builder.Ignore(j => j.IsFinished);
        builder.Ignore(j => j.Eta);
    }
}

internal sealed class ModelVersionFileConfiguration : IEntityTypeConfiguration<Recs.Core.Models.ModelVersionFile>
{
    public void Configure(EntityTypeBuilder<Recs.Core.Models.ModelVersionFile> builder)
    {
        builder.HasKey(f => new { f.VersionId, f.Name });
        builder.Property(f => f.VersionId).HasMaxLength(64);
        builder.Property(f => f.Name).HasMaxLength(200);
        builder.Property(f => f.Sha256).HasMaxLength(64);
        builder.HasOne<ModelVersion>().WithMany().HasForeignKey(f => f.VersionId).OnDelete(DeleteBehavior.Cascade);
    }
}
