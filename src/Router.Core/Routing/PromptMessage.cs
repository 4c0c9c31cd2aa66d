using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>One chat message sent upstream. Role is system, user, assistant (with any tool calls) or tool.</summary>
public sealed record PromptMessage(string Role, string Content, PromptPart Part)
{
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    public string? ToolCallId { get; init; }
}
