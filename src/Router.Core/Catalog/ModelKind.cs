namespace Router.Core.Catalog;

/// <summary>Which SDK client reaches a deployment.</summary>
public enum ModelKind
{
    /// <summary>Azure OpenAI, reached with Azure.AI.OpenAI.</summary>
    AzureOpenAI,

    /// <summary>Any endpoint speaking OpenAI's <c>/v1/chat/completions</c>, reached with the OpenAI SDK.</summary>
    OpenAICompatible,

    /// <summary>A distilled text classifier trained in-process with ML.NET on the task's captured samples and served in-process (docs/local-classifier.md).</summary>
    LocalClassifier,
}

public static class ModelKindNames
{
    public static ModelKind? Parse(string? value) => value?.ToLowerInvariant() switch
    {
        "azure-openai" => ModelKind.AzureOpenAI,
        "openai-compatible" => ModelKind.OpenAICompatible,
        "local-classifier" => ModelKind.LocalClassifier,
        _ => null,
    };

    public static string ToWire(this ModelKind kind) => kind switch
    {
        ModelKind.AzureOpenAI => "azure-openai",
        ModelKind.LocalClassifier => "local-classifier",
        _ => "openai-compatible",
    };
}
