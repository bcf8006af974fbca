namespace Recs.Web.Authentication;

/// <summary>The open-redirect guard: only app-local paths are followed after sign-in and sign-out.</summary>
public static class LocalRedirect
{
    /// <summary>
    /// <paramref name="returnUrl"/> when it is a local path (<c>/…</c>, not <c>//host</c> or <c>/\host</c>, no scheme,
    /// no control characters); otherwise <c>/</c>. Characters a <c>Location</c> header cannot carry (non-ASCII such as
    /// <c>é</c> or an emoji, and spaces) are percent-encoded as UTF-8, as a browser would send them: a query string
    /// decoded once by the framework (<c>?q=caf%C3%A9</c> → <c>café</c>) would otherwise end in an empty 500, because
    /// Kestrel refuses non-ASCII response headers.
    /// </summary>
    public static string OrRoot(string? returnUrl) => IsLocal(returnUrl) ? Encode(returnUrl!) : "/";

    private static string Encode(string url)
    {
        var i = 0;
        while (i < url.Length && url[i] is > ' ' and < '\x7F')
        {
            i++;
        }

        if (i == url.Length)
        {
            return url;
        }

        var sb = new System.Text.StringBuilder(url.Length + 16).Append(url, 0, i);
        while (i < url.Length)
        {
            var start = i;
            while (i < url.Length && url[i] is not (> ' ' and < '\x7F'))
            {
                i++;
            }

            // A run at a time, so a surrogate pair (emoji) is encoded as one UTF-8 sequence.
            sb.Append(Uri.EscapeDataString(url[start..i]));
            while (i < url.Length && url[i] is > ' ' and < '\x7F')
            {
                sb.Append(url[i++]);
            }
        }

        return sb.ToString();
    }

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
