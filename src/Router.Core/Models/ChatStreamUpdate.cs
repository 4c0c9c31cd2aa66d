namespace Router.Core.Models;

/// <summary>
/// One piece of a streamed answer as it arrived from the model: a text delta, tool-call pieces, the finish
/// reason, and/or the usage the model reports in its last chunk (stream_options.include_usage).
/// </summary>
public sealed record ChatStreamUpdate(string? ContentDelta, string? FinishReason, TokenUsage? Usage, string? ResponseModel)
{
    /// <summary>Pieces of tool calls in this update (a call's first piece names it, the rest carry argument text).</summary>
    public IReadOnlyList<ToolCallDelta> ToolCalls { get; init; } = [];
}
