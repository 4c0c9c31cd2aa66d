namespace Router.Emulator.Wire;

/// <summary>A tool call the caller replays in an assistant message; its name and arguments are prompt tokens.</summary>
public sealed record AssistantToolCall(string Name, string Arguments);
