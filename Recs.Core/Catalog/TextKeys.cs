using System.Globalization;
using System.Text;

namespace Recs.Core.Catalog;

/// <summary>Normalisation of artist names and titles so that the same track matches across sources.</summary>
public static class TextKeys
{
    /// <summary>
    /// Lower-case, accents removed, punctuation folded to single spaces, trimmed.
    /// "Beyoncé" and "BEYONCE " give the same key.
    /// </summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                pendingSpace = false;
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingSpace = true;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Title key: <see cref="Normalize"/> after dropping a trailing " - Remastered 2011"-style suffix and
    /// bracketed "(feat. …)" parts, which differ between releases of the same recording.
    /// </summary>
    public static string Title(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return "";
        }

        var t = title;
        var dash = t.IndexOf(" - ", StringComparison.Ordinal);
        if (dash > 0)
        {
            t = t[..dash];
        }

        foreach (var open in new[] { '(', '[' })
        {
            var i = t.IndexOf(open);
            if (i > 0)
            {
                var rest = t[i..].ToLowerInvariant();
                if (rest.Contains("feat") || rest.Contains("with ") || rest.Contains("remaster"))
                {
                    t = t[..i];
                }
            }
        }

        return Normalize(t);
    }
}
