namespace Router.Core.Routing;

/// <summary>One chat message sent upstream. Role is system, user or assistant.</summary>
public sealed record PromptMessage(string Role, string Content, PromptPart Part);
