namespace Router.Core.Routing;

/// <summary>A message the caller sent (native: one user message holding the input; OpenAI-compatible: the caller's list).</summary>
public sealed record CallerMessage(string Role, string Content);
