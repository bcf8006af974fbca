using System.Collections.Concurrent;

namespace Recs.Core.Spotify;

/// <summary>What the Spotify app may do (docs/spotify.md §Modes).</summary>
public enum SpotifyMode
{
    /// <summary>Not detected yet: the next batch call tells.</summary>
    Unknown,

    /// <summary>Batch endpoints answer 403; single-item lookups only; no popularity; genres may be empty.</summary>
    Development,

    /// <summary>Batches of 50 ids, popularity and genres.</summary>
    Extended,
}

/// <summary>
/// The detected mode per app (client id + API base URL), shared by every client of the process so that detection
/// costs one request per app, not one per user or job.
/// </summary>
public sealed class SpotifyModeCache
{
    private readonly ConcurrentDictionary<string, SpotifyMode> _modes = new(StringComparer.Ordinal);

    public SpotifyMode Get(string clientId, string apiBase) =>
        _modes.TryGetValue(Key(clientId, apiBase), out var mode) ? mode : SpotifyMode.Unknown;

    public void Set(string clientId, string apiBase, SpotifyMode mode) => _modes[Key(clientId, apiBase)] = mode;

    private static string Key(string clientId, string apiBase) => clientId + "|" + apiBase.TrimEnd('/').ToLowerInvariant();
}
