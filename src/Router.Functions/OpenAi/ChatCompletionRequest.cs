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

    public RequestError? CheckAgainst(CatalogTask task) => OpenAiParameters.CheckReasoning(task, Sampling, "reasoning_effort");
}
