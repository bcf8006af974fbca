namespace Recs.Core.Catalog;

/// <summary>Spotify ids and the ways files write them.</summary>
public static class SpotifyIds
{
    /// <summary>True for a bare Spotify id: 22 characters of base 62.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: 22 } && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// The track id in a bare id, a <c>spotify:track:…</c> URI or an <c>https://open.spotify.com/track/…</c> link;
    /// null when it is none of these.
    /// </summary>
    public static string? TryParseTrack(string? text)
    {
        var s = text?.Trim() ?? "";
        const string uriPrefix = "spotify:track:";
        if (s.StartsWith(uriPrefix, StringComparison.OrdinalIgnoreCase))
        {
            s = s[uriPrefix.Length..];
        }
        else if (s.Contains("open.spotify.com/", StringComparison.OrdinalIgnoreCase))
        {
            var marker = s.IndexOf("/track/", StringComparison.OrdinalIgnoreCase);
            if (marker < 0)
            {
                return null;
            }

            s = s[(marker + "/track/".Length)..];
            var end = s.IndexOfAny(['?', '/', '#']);
            if (end >= 0)
            {
                s = s[..end];
            }
        }

        return IsValid(s) ? s : null;
    }
}
