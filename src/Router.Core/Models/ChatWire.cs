namespace Router.Core.Models;

/// <summary>
/// What differs between deployments in the chat-completions body Router writes: the model
/// (deployment) name the body carries, and which property carries the output cap. Azure OpenAI's
/// non-reasoning deployments take <c>max_tokens</c> (the older property every Azure model version
/// accepts); OpenAI and reasoning deployments take <c>max_completion_tokens</c> (reasoning models
/// refuse <c>max_tokens</c>).
/// </summary>
public sealed record ChatWire(string Deployment, bool MaxCompletionTokens)
{
    public static ChatWire For(Catalog.CatalogModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ChatWire(model.Deployment, model.Kind != Catalog.ModelKind.AzureOpenAI || model.SupportsReasoning);
    }
}
