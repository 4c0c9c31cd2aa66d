namespace Router.Core.Ledger;

/// <summary>What GET /api/usage can group by (<c>groupBy=</c>, comma-separated).</summary>
public enum UsageDimension
{
    Hour,
    Day,
    Task,
    Route,
    Model,
    Client,

    /// <summary>The API the caller used (route, chat, responses); read from the call rows (rollups do not split by API).</summary>
    Api,
}
