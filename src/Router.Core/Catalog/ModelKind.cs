namespace Router.Core.Catalog;

/// <summary>Which SDK client reaches a deployment.</summary>
public enum ModelKind
{
    /// <summary>Azure OpenAI, reached with Azure.AI.OpenAI.</summary>
    AzureOpenAI,

    /// <summary>Any endpoint speaking OpenAI's <c>/v1/chat/completions</c>, reached with the OpenAI SDK.</summary>
    OpenAICompatible,
}

public static class ModelKindNames
{
    public static ModelKind? Parse(string? value) => value?.ToLowerInvariant() switch
    {
        "azure-openai" => ModelKind.AzureOpenAI,
        "openai-compatible" => ModelKind.OpenAICompatible,
        _ => null,
    };

    public static string ToWire(this ModelKind kind) => kind == ModelKind.AzureOpenAI ? "azure-openai" : "openai-compatible";
}
