using Router.Core.Routing;

namespace Router.Functions.OpenAi;

/// <summary>A validated POST /api/v1/chat/completions body: <c>model</c> names the task.</summary>
public sealed record ChatCompletionRequest(
    string Task,
    IReadOnlyList<CallerMessage> Messages,
    bool Stream,
    bool IncludeUsage,
    int? MaxOutputTokens,
    double? Temperature) : Http.ITaskCall;
