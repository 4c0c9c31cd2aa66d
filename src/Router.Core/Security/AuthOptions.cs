namespace Router.Core.Security;

/// <summary>Client keys (<c>Router:Auth</c>). Settings hold SHA-256 hashes of keys, never keys.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Router:Auth";

    public List<ClientKeyOptions> Clients { get; set; } = [];
}

public sealed class ClientKeyOptions
{
    /// <summary>Recorded on every call this key makes.</summary>
    public string? Name { get; set; }

    /// <summary>Lowercase hex SHA-256 of the key (scripts/new-client-key.sh prints it).</summary>
    public string? KeySha256 { get; set; }

    /// <summary>caller and/or admin.</summary>
    public List<string> Roles { get; set; } = ["caller"];
}
