namespace Router.Core.Catalog;

/// <summary>Turns <c>Backends</c> settings into the ordered failover list of a model.</summary>
public static class BackendFailover
{
    public static IReadOnlyList<CatalogModel> Order(CatalogModel model, IReadOnlyList<BackendOptions> backends)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(backends);
        return backends
            .Select((backend, index) => (backend, index))
            .OrderBy(b => b.backend.Priority)
            .ThenBy(b => b.index)
            .Select(b => ToModel(model, b.backend, b.index))
            .ToArray();
    }

    private static CatalogModel ToModel(CatalogModel model, BackendOptions backend, int index)
    {
        var auth = backend.Auth ?? (model.UsesManagedIdentity ? "managed-identity" : "key");
        return model with
        {
            Endpoint = new Uri(backend.Endpoint!, UriKind.Absolute),
            Deployment = string.IsNullOrWhiteSpace(backend.Deployment) ? model.Deployment : backend.Deployment,
            UsesManagedIdentity = string.Equals(auth, "managed-identity", StringComparison.OrdinalIgnoreCase),
            ApiKey = backend.ApiKey ?? model.ApiKey,
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(backend.ManagedIdentityClientId) ? model.ManagedIdentityClientId : backend.ManagedIdentityClientId,
            Backends = [],
            BackendIndex = index,
        };
    }

    /// <summary>The named HttpClient of a backend: each has its own retry and circuit breaker.</summary>
    public static string HttpClientName(string modelName, int? backendIndex) =>
        "router-model-" + modelName.ToLowerInvariant() + (backendIndex is { } i ? "-backend-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
}
