using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Recs.Core.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// Registers <see cref="RecsOptions"/> and a <see cref="RecsDbContext"/> factory on SQLite in the data directory.
    /// </summary>
    public static IHostApplicationBuilder AddRecsPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RecsOptions>()
            .Bind(builder.Configuration.GetSection(RecsOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), $"{RecsOptions.SectionName}:DataDirectory must not be empty.")
            .ValidateOnStart();

        builder.Services.AddDbContextFactory<RecsDbContext>((sp, options) =>
        {
            var recs = sp.GetRequiredService<IOptions<RecsOptions>>().Value;
            Directory.CreateDirectory(recs.ResolvedDataDirectory);
            options.UseSqlite($"Data Source={recs.DatabasePath};Cache=Shared;Pooling=True",
                sqlite => sqlite.CommandTimeout(120));
        });
        return builder;
    }

    /// <summary>Applies the real migrations (creating the database when it does not exist).</summary>
    public static async Task MigrateRecsDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<RecsDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        // WAL lets the web app read while a job writes.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
