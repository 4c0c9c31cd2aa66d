namespace Router.Core.Catalog;

/// <summary>A validated deployment from the price sheet.</summary>
public sealed record CatalogModel(
    string Name,
    ModelKind Kind,
    Uri Endpoint,
    string Deployment,
    bool UsesManagedIdentity,
    string? ApiKey,
    string? ManagedIdentityClientId,
    ModelPrices Prices)
{
    /// <summary>Keeps the key out of logs and exception messages that print records.</summary>
    public override string ToString() => $"{Name} ({Kind.ToWire()} {Deployment} at {Endpoint})";
}
