namespace Router.Core.Catalog;

/// <summary>
/// One more place that serves a deployment (say, a second region), under
/// <c>Router:Models:{name}:Backends:{i}</c>. The model's own Endpoint is tried first; then
/// backends by ascending Priority. Unset fields inherit the model's values.
/// </summary>
public sealed class BackendOptions
{
    public string? Endpoint { get; set; }

    /// <summary>Lower is tried first; ties keep configuration order. The model's own endpoint counts as priority 0.</summary>
    public int Priority { get; set; } = 1;

    /// <summary>The deployment name at this backend, when it differs from the model's.</summary>
    public string? Deployment { get; set; }

    /// <summary>key | managed-identity; the model's Auth when unset.</summary>
    public string? Auth { get; set; }

    /// <summary>The model's ApiKey when unset. Set from a secret store, never committed.</summary>
    public string? ApiKey { get; set; }

    public string? ManagedIdentityClientId { get; set; }
}
