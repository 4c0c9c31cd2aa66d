namespace Router.Core.Catalog;

/// <summary>One deployment of the price sheet, as configured under <c>Router:Models:{name}</c>.</summary>
public sealed class ModelOptions
{
    /// <summary>azure-openai | openai-compatible | local-classifier.</summary>
    public string? Kind { get; set; }

    /// <summary>Base address: <c>https://{account}.openai.azure.com/</c> or an OpenAI-compatible <c>.../v1</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The deployment (Azure) or model name (OpenAI-compatible) sent upstream.</summary>
    public string? Deployment { get; set; }

    /// <summary>key | managed-identity.</summary>
    public string? Auth { get; set; } = "key";

    /// <summary>Set from a secret store or environment variable, never committed.</summary>
    public string? ApiKey { get; set; }

    /// <summary>User-assigned identity to use with managed-identity auth; empty for DefaultAzureCredential.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public PriceOptions Prices { get; set; } = new();

    /// <summary>Training settings of a <c>local-classifier</c> model; ignored for the other kinds.</summary>
    public ClassifierOptions Classifier { get; set; } = new();

    /// <summary>The deployment is a reasoning model and accepts <c>reasoning_effort</c> (default false: callers sending it get a 400).</summary>
    public bool Reasoning { get; set; }

    /// <summary>Further backends for the same deployment, tried in priority order when the endpoint above fails.</summary>
    public List<BackendOptions> Backends { get; set; } = [];
}

/// <summary>Published prices, USD. Token prices are per 1M tokens.</summary>
public sealed class PriceOptions
{
    public decimal InputPerMillion { get; set; }

    public decimal CachedInputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }

    /// <summary>Hosting fee per hour for deployments billed by the hour (fine-tuned standard); zero otherwise.</summary>
    public decimal HostingPerHour { get; set; }

    /// <summary>Training price per 1M training tokens, for models that can be fine-tuned.</summary>
    public decimal TrainingPerMillion { get; set; }

    /// <summary>Date the prices were published / took effect; recorded with every call as the price version.</summary>
    public DateOnly? EffectiveDate { get; set; }

    public DateOnly? RetiresOn { get; set; }

    /// <summary>A flat price per call (a local classifier's compute, say), added to the token prices; zero by default.</summary>
    public decimal PerCall { get; set; }
}
