namespace Router.Core.Security;

/// <summary>Client keys (<c>Router:Auth</c>). Settings hold SHA-256 hashes of keys, never keys.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Router:Auth";

    public List<ClientKeyOptions> Clients { get; set; } = [];

    /// <summary>How often each instance re-reads the other instances' spend from the rollups (budgets).</summary>
    public TimeSpan SpendRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class ClientKeyOptions
{
    /// <summary>Recorded on every call this key makes.</summary>
    public string? Name { get; set; }

    /// <summary>Lowercase hex SHA-256 of the key (scripts/new-client-key.sh prints it).</summary>
    public string? KeySha256 { get; set; }

    /// <summary>caller and/or admin.</summary>
    public List<string> Roles { get; set; } = ["caller"];

    /// <summary>Spend allowed per UTC day, in USD; over it the client gets 429 until the next UTC day. Empty: no budget.</summary>
    public decimal? DailyBudgetUsd { get; set; }

    /// <summary>Requests allowed per minute (token bucket, bursts up to this many). Empty: no limit.</summary>
    public int? RequestsPerMinute { get; set; }
}
