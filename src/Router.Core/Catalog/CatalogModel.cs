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

    /// <summary>Failover targets after the model's own endpoint, in the order they are tried (each a full model record with its own endpoint, deployment and auth).</summary>
    public IReadOnlyList<CatalogModel> Backends { get; init; } = [];

    /// <summary>The deployment is a reasoning model (o-series, gpt-5): it takes <c>reasoning_effort</c>; others refuse it.</summary>
    public bool SupportsReasoning { get; init; }

    /// <summary>Index of this backend under <c>Router:Models:{name}:Backends</c>; null for the model's own endpoint. Names its HttpClient.</summary>
    public int? BackendIndex { get; init; }

    /// <summary>Training settings of a local classifier; null for the other kinds.</summary>
    public ClassifierSettings? Classifier { get; init; }

    public bool IsLocalClassifier => Kind == ModelKind.LocalClassifier;

    /// <summary>
    /// The trained version this use of a local classifier serves: a promoted route's, pinned at promotion to the
    /// version its evidence was measured on; null (the catalog's models) serves the version its pointer names.
    /// </summary>
    public string? PinnedVersion { get; init; }
}
