namespace Router.Emulator.Generation;

/// <summary>The assistant's answer, its token count and why it stopped ("stop" or "length").</summary>
public sealed record GeneratedOutput(string Content, int CompletionTokens, string FinishReason);
