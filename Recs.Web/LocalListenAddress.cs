namespace Recs.Web;

/// <summary>
/// Where the app listens when nothing says otherwise: <c>http://127.0.0.1:5032</c>, the loopback address Spotify accepts
/// as a redirect URI for local use. It is a default, not a setting in appsettings.json: an <c>Urls</c> key there would
/// override <c>ASPNETCORE_URLS</c> (the container's <c>http://0.0.0.0:8080</c>), because the host reads
/// <c>ASPNETCORE_*</c> variables before the settings files.
/// </summary>
public static class LocalListenAddress
{
    public const string Default = "http://127.0.0.1:5032";

    /// <summary>
    /// Listens on <see cref="Default"/> unless an address is configured: <c>ASPNETCORE_URLS</c>/<c>URLS</c>,
    /// <c>--urls</c>, an <c>Urls</c> setting, <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c> (set by the .NET
    /// container images) or <c>Kestrel:Endpoints</c>.
    /// </summary>
    public static WebApplicationBuilder UseLocalListenAddressByDefault(this WebApplicationBuilder builder)
    {
        if (!IsConfigured(builder.Configuration))
        {
            builder.WebHost.UseUrls(Default);
        }

        return builder;
    }

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}
