namespace Router.Core.Routing;

/// <summary>The messages for one upstream call, with the local token estimate of the fixed parts.</summary>
public sealed record BuiltPrompt(IReadOnlyList<PromptMessage> Messages, int SystemTokens, int ExamplesTokens, int ContextTokens);
