namespace Router.Core.Models;

/// <summary>A function call the model made (or, in a caller's history, made earlier): its id, the function and the JSON arguments text.</summary>
public sealed record ToolCall(string Id, string Name, string Arguments);
