using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recs.Core.Persistence;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Web.Authentication;

public sealed class DataProtectionKeyTests
{
    [Fact]
    public async Task KeysAnOlderRecsKeptInTheDataDirectoryAreCopiedIntoTheDatabaseSoWhatTheyProtectedStaysReadable()
    {
        using var dataDir = new TempDirectory();
        var keysDir = Path.Combine(dataDir.Path, "keys");
        // What an older Recs did: keys as files in {data}/keys.
        var legacy = DataProtectionProvider.Create(new DirectoryInfo(keysDir), b => b.SetApplicationName("Recs"));
        var protectedText = legacy.CreateProtector("test").Protect("a stored token");
        Assert.NotEmpty(Directory.GetFiles(keysDir, "*.xml"));

        await using var factory = new RecsWebFactory(dataDir.Path);
        _ = factory.Server;
        var provider = factory.Services.GetRequiredService<IDataProtectionProvider>();

        Assert.Equal("a stored token", provider.CreateProtector("test").Unprotect(protectedText));
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<RecsDbContext>>().CreateDbContextAsync();
        var stored = await db.DataProtectionKeys.ToListAsync();
        Assert.Equal(Directory.GetFiles(keysDir, "*.xml").Length, stored.Count);
        Assert.All(stored, k => Assert.Equal("key", XElement.Parse(k.Xml!).Name.LocalName));
    }
}
