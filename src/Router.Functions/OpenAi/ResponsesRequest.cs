using Router.Core.Routing;

namespace Router.Functions.OpenAi;

/// <summary>
/// A validated POST /api/v1/responses body: <c>model</c> names the task, <c>input</c> became the
/// caller's messages (with <c>instructions</c> first, as a caller system message).
/// </summary>
public sealed record ResponsesRequest(
    string Task,
    IReadOnlyList<CallerMessage> Messages,
    string? Instructions,
    bool Stream,
    int? MaxOutputTokens,
    double? Temperature,
    double? TopP,
    IReadOnlyDictionary<string, string>? Metadata) : Http.ITaskCall;
