namespace Router.Emulator.Generation;

/// <summary>
/// The assistant's answer, its token count and why it stopped ("stop", "length" or "tool_calls").
/// A tool-call answer has empty content and the call in <see cref="ToolCall"/>.
/// </summary>
public sealed record GeneratedOutput(string Content, int CompletionTokens, string FinishReason, GeneratedToolCall? ToolCall = null);
