namespace Router.Core.Ledger;

/// <summary>Where the tables live (<c>Router:Storage</c>): a connection string (Azurite, local) or a service URI with managed identity (Azure).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Router:Storage";

    public string? ConnectionString { get; set; }

    /// <summary>e.g. https://{account}.table.core.windows.net; used with managed identity when no connection string is set.</summary>
    public string? TableServiceUri { get; set; }

    public string? ManagedIdentityClientId { get; set; }

    /// <summary>e.g. https://{account}.blob.core.windows.net; where trained local classifiers are kept, with managed identity when no connection string is set.</summary>
    public string? BlobServiceUri { get; set; }

    /// <summary>Blob container of trained local classifiers (model and metrics per version).</summary>
    public string ModelsContainer { get; set; } = "router-models";

    public string CallsTable { get; set; } = "RouterCalls";

    public string RollupsTable { get; set; } = "RouterRollups";

    /// <summary>Compacted rollups (one row per hour over every instance) and their state; default: RollupsTable + "Fleet".</summary>
    public string? FleetRollupsTable { get; set; }

    public string FleetRollupsTableName => string.IsNullOrWhiteSpace(FleetRollupsTable) ? RollupsTable + "Fleet" : FleetRollupsTable;

    /// <summary>Blob container of the leases that keep singletons single in standalone mode (compaction).</summary>
    public string LocksContainer { get; set; } = "router-locks";

    public string SamplesTable { get; set; } = "RouterSamples";

    public string ReportsTable { get; set; } = "RouterReports";

    public string ShadowRollupsTable { get; set; } = "RouterShadowRollups";

    /// <summary>Promoted routes (row <c>current</c> per task) and their history (promotions, restores, rollbacks).</summary>
    public string RouteOverridesTable { get; set; } = "RouterRouteOverrides";
}
