using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recs.Core.Libraries;

namespace Recs.Core.Persistence.Configurations;

internal sealed class UserLibraryConfiguration : IEntityTypeConfiguration<UserLibrary>
{
    public void Configure(EntityTypeBuilder<UserLibrary> builder)
    {
        builder.HasKey(l => l.Id);
        builder.Property(l => l.UserId).HasMaxLength(128);
        builder.HasIndex(l => l.UserId).IsUnique();
        builder.Property(l => l.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(l => l.FileName).HasMaxLength(260);
        builder.HasMany(l => l.Tracks).WithOne().HasForeignKey(t => t.UserLibraryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserLibraryTrackConfiguration : IEntityTypeConfiguration<UserLibraryTrack>
{
    public void Configure(EntityTypeBuilder<UserLibraryTrack> builder)
    {
        builder.HasKey(t => t.Id);
        builder.HasIndex(t => new { t.UserLibraryId, t.Position });
        builder.Property(t => t.SpotifyId).HasMaxLength(64);
    }
}

internal sealed class ListenerPreferenceConfiguration : IEntityTypeConfiguration<ListenerPreference>
{
    public void Configure(EntityTypeBuilder<ListenerPreference> builder)
    {
        builder.HasKey(p => p.UserId);
        builder.Property(p => p.UserId).HasMaxLength(128);
    }
}
