namespace Router.Core.Routing;

/// <summary>
/// A function the caller offers the model (OpenAI's function tool, from either API):
/// its name, what it does, and its parameters as JSON Schema text, sent upstream as given.
/// </summary>
public sealed record ToolDefinition(string Name, string? Description, string? ParametersJson, bool? Strict);
