namespace Router.Emulator.Generation;

/// <summary>A function call the emulated model makes instead of answering: id, function name and JSON arguments.</summary>
public sealed record GeneratedToolCall(string Id, string Name, string Arguments);
