using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>
/// A message the caller sent (native: one user message holding the input; OpenAI-compatible: the caller's list).
/// An assistant message may carry the tool calls the model made earlier; a <c>tool</c> message answers one of them.
/// </summary>
public sealed record CallerMessage(string Role, string Content)
{
    /// <summary>An assistant turn's function calls (the model's, sent back by the caller).</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>For role <c>tool</c>: the call this message is the result of.</summary>
    public string? ToolCallId { get; init; }
}
