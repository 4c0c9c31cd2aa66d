using Router.Core.Catalog;
using Router.Core.Routing;
using Router.Functions.Http;

namespace Router.Functions.OpenAi;

/// <summary>A validated POST /api/v1/chat/completions body: <c>model</c> names the task.</summary>
public sealed record ChatCompletionRequest(
    string Task,
    IReadOnlyList<CallerMessage> Messages,
    bool Stream,
    bool IncludeUsage,
    int? MaxOutputTokens,
    double? Temperature) : ITaskCall
{
    /// <summary>top_p, stop, seed, penalties, logit_bias, user, parallel_tool_calls, reasoning_effort.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.None;

    /// <summary>The caller's function tools (<c>tools</c>); empty when none.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    public ToolChoice? ToolChoice { get; init; }

    /// <summary><c>response_format</c> json_object or json_schema; null for text.</summary>
    public CallerFormat? Format { get; init; }

    /// <summary><c>metadata</c>: up to 16 string pairs, recorded on the call's row.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public RequestError? CheckAgainst(CatalogTask task) =>
        OpenAiParameters.CheckReasoning(task, Sampling, "reasoning_effort") ?? OpenAiTools.CheckFormat(task, Format, "response_format");
}
