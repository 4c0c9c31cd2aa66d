using Router.Core.Routing;

namespace Router.Functions.OpenAi;

/// <summary>
/// A validated POST /api/v1/responses body: <c>model</c> names the task, <c>input</c> became the
/// caller's messages (with <c>instructions</c> first, as a caller system message; function calls
/// and their outputs as assistant tool calls and tool messages).
/// </summary>
public sealed record ResponsesRequest(
    string Task,
    IReadOnlyList<CallerMessage> Messages,
    string? Instructions,
    bool Stream,
    int? MaxOutputTokens,
    double? Temperature,
    double? TopP,
    IReadOnlyDictionary<string, string>? Metadata) : Http.ITaskCall
{
    /// <summary>The caller's function tools (<c>tools</c> of type function).</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    public ToolChoice? ToolChoice { get; init; }

    public bool? ParallelToolCalls { get; init; }

    /// <summary><c>text.format</c> json_object or json_schema; null for text.</summary>
    public CallerFormat? Format { get; init; }

    public Http.RequestError? CheckAgainst(Core.Catalog.CatalogTask task) => OpenAiTools.CheckFormat(task, Format, "text.format");
}
