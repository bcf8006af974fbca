using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recs.Core.Accounts;

namespace Recs.Core.Persistence.Configurations;

internal sealed class UserAccountConfiguration : IEntityTypeConfiguration<UserAccount>
{
    public void Configure(EntityTypeBuilder<UserAccount> builder)
    {
        builder.HasKey(a => a.AccountId);
        builder.Property(a => a.AccountId).HasMaxLength(128);
        builder.Property(a => a.SpotifyUserId).HasMaxLength(128);
        builder.Property(a => a.DisplayName).HasMaxLength(256);
        builder.Property(a => a.ImageUrl).HasMaxLength(2048);
    }
}

internal sealed class UserTokenConfiguration : IEntityTypeConfiguration<UserToken>
{
    public void Configure(EntityTypeBuilder<UserToken> builder)
    {
        builder.HasKey(t => t.AccountId);
        builder.Property(t => t.AccountId).HasMaxLength(128);
        builder.Property(t => t.Scope).HasMaxLength(512);
        // Removing an account removes its tokens.
        builder.HasOne<UserAccount>().WithOne().HasForeignKey<UserToken>(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
