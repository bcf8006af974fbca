using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Recs.Core.Persistence;

namespace Recs.Web.Authentication;

/// <summary>
/// Data Protection keys in the database (<see cref="RecsDbContext.DataProtectionKeys"/>), so a cookie or a stored
/// Spotify token protected by one instance is readable by every other (ADR-152). Keys a Recs before this change wrote
/// to <c>{data}/keys</c> are copied in once, when the table is still empty, so existing sign-ins and stored tokens stay
/// readable after the upgrade.
/// </summary>
internal sealed class DatabaseXmlRepository(IDbContextFactory<RecsDbContext> dbFactory, string legacyDirectory, ILogger<DatabaseXmlRepository> logger) : IXmlRepository
{
    private readonly Lock _importLock = new();
    private bool _imported;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        ImportLegacyKeysOnce();
        using var db = dbFactory.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).AsEnumerable()
            .Where(k => !string.IsNullOrEmpty(k.Xml))
            .Select(k => XElement.Parse(k.Xml!))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = dbFactory.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }

    private void ImportLegacyKeysOnce()
    {
        lock (_importLock)
        {
            if (_imported)
            {
                return;
            }

            _imported = true;
            if (!Directory.Exists(legacyDirectory))
            {
                return;
            }

            var files = Directory.GetFiles(legacyDirectory, "*.xml");
            if (files.Length == 0)
            {
                return;
            }

            using var db = dbFactory.CreateDbContext();
            if (db.DataProtectionKeys.Any())
            {
                return;
            }

            foreach (var file in files.Order(StringComparer.Ordinal))
            {
                var element = XElement.Load(file);
                db.DataProtectionKeys.Add(new DataProtectionKey
                {
                    FriendlyName = Path.GetFileNameWithoutExtension(file),
                    Xml = element.ToString(SaveOptions.DisableFormatting),
                });
            }

            db.SaveChanges();
            logger.LogInformation("Copied {Count} Data Protection keys from {Directory} into the database", files.Length, legacyDirectory);
        }
    }
}
