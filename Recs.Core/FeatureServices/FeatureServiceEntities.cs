namespace Recs.Core.FeatureServices;

/// <summary>
/// A track id the features service did not know when last asked, and when. Asked again once
/// <see cref="FeatureServiceOptions.MissRetryAfter"/> has passed. Nothing records who asked.
/// </summary>
public sealed class FeatureServiceMiss
{
    public required string TrackId { get; set; }

    public DateTimeOffset MissedAt { get; set; }
}

/// <summary>An admin setting stored in the database (shared by every instance), by key.</summary>
public sealed class AdminSetting
{
    public required string Key { get; set; }

    public string Value { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Keys of <see cref="AdminSetting"/>.</summary>
public static class AdminSettingKeys
{
    /// <summary>"true"/"false": features from uploaded files join the catalog (source <c>file</c>). Default true.</summary>
    public const string ContributeUploadedFeatures = "catalog.contribute-uploaded-features";

    /// <summary>Replaced by every write that adds or changes catalog tracks (<see cref="Catalog.CatalogRevision"/>).</summary>
    public const string CatalogRevision = "catalog.revision";
}
