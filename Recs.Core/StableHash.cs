namespace Recs.Core;

/// <summary>
/// FNV-1a (32 bit) over a string's UTF-16 code units: the same value in every process and runtime, unlike
/// <see cref="string.GetHashCode()"/>, which is randomised per process. The one copy behind every deterministic split of
/// tracks: the trainer's cross-validation folds, <c>evaluate</c>'s held-out sets and the check set's correction folds.
/// </summary>
public static class StableHash
{
    /// <summary>FNV-1a's 32-bit offset basis.</summary>
    public const uint OffsetBasis = 2166136261u;

    /// <summary>FNV-1a's 32-bit prime.</summary>
    public const uint Prime = 16777619u;

    /// <summary>
    /// FNV-1a of <paramref name="key"/>, starting from <paramref name="basis"/> (the standard offset basis unless a caller
    /// seeds it to draw a different, equally stable split).
    /// </summary>
    public static uint Fnv1a(string key, uint basis = OffsetBasis)
    {
        ArgumentNullException.ThrowIfNull(key);
        var h = basis;
        foreach (var ch in key)
        {
            h = (h ^ ch) * Prime;
        }

        return h;
    }
}
