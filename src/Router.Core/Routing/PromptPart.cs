namespace Router.Core.Routing;

/// <summary>Which part of the prompt a message belongs to, so the bill can be split into the prompt tax and the caller's own input.</summary>
public enum PromptPart { System, Examples, Context, Caller }
