namespace Router.Core.Models;

public sealed record ChatModelResponse(string Text, string? FinishReason, TokenUsage Usage, string? ResponseModel)
{
    /// <summary>How sure the model is of its answer (0..1), from models that say (a local classifier); null for chat models.</summary>
    public double? Confidence { get; init; }

    /// <summary>The functions the model called instead of (or beside) answering; empty for a plain answer.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];
}
