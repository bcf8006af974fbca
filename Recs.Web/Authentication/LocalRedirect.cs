namespace Recs.Web.Authentication;

/// <summary>The open-redirect guard: only app-local paths are followed after sign-in and sign-out.</summary>
public static class LocalRedirect
{
    /// <summary>
    /// <paramref name="returnUrl"/> when it is a local path (<c>/…</c>, not <c>//host</c> or <c>/\host</c>, no scheme,
    /// no control characters); otherwise <c>/</c>.
    /// </summary>
    public static string OrRoot(string? returnUrl) => IsLocal(returnUrl) ? returnUrl! : "/";

    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/')
        {
            return false;
        }

        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\'))
        {
            return false;
        }

        // Browsers strip tabs and newlines, which would turn "/\t/evil" into "//evil".
        return !url.Any(char.IsControl) && !url.Contains('\\');
    }
}
