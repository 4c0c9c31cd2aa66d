namespace Router.Core.Models;

public sealed record ChatModelResponse(string Text, string? FinishReason, TokenUsage Usage, string? ResponseModel)
{
    /// <summary>The functions the model called instead of (or beside) answering; empty for a plain answer.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];
}
