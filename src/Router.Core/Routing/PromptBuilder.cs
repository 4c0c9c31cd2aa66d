using Router.Core.Catalog;

namespace Router.Core.Routing;

/// <summary>
/// Builds the upstream messages for a target. The large model is steered with context:
/// system prompt, few-shot examples, retrieved context, then the caller's messages.
/// The tuned small model learned the behaviour, so it gets only its short system prompt
/// and the caller's messages: no examples, no context (facts belong in retrieval, and a
/// task that needs them is not routed to small).
/// </summary>
public sealed class PromptBuilder(TokenCounter tokens)
{
    public const string ContextPreamble = "Use the following context to answer. If the answer is not in it, say so.\n\n";

    public BuiltPrompt Build(CatalogTask task, RouteTarget target, IReadOnlyList<CallerMessage> caller, string? context)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(caller);
        var messages = new List<PromptMessage>(caller.Count + (task.Examples.Count * 2) + 2);

        if (target == RouteTarget.Small && !task.SmallPromptIsLarge)
        {
            if (!string.IsNullOrEmpty(task.SmallSystem))
            {
                messages.Add(new PromptMessage("system", task.SmallSystem, PromptPart.System));
            }

            AddCaller(messages, caller);
            return new BuiltPrompt(messages, task.SmallSystemTokens, 0, 0);
        }

        messages.Add(new PromptMessage("system", task.LargeSystem, PromptPart.System));
        foreach (var example in task.Examples)
        {
            messages.Add(new PromptMessage("user", example.Input, PromptPart.Examples));
            messages.Add(new PromptMessage("assistant", example.Output, PromptPart.Examples));
        }

        var contextTokens = 0;
        if (!string.IsNullOrWhiteSpace(context))
        {
            var contextMessage = ContextPreamble + context;
            messages.Add(new PromptMessage("system", contextMessage, PromptPart.Context));
            contextTokens = tokens.Count(contextMessage);
        }

        AddCaller(messages, caller);
        return new BuiltPrompt(messages, task.LargeSystemTokens, task.ExamplesTokens, contextTokens);
    }

    private static void AddCaller(List<PromptMessage> messages, IReadOnlyList<CallerMessage> caller)
    {
        foreach (var message in caller)
        {
            messages.Add(new PromptMessage(message.Role, message.Content, PromptPart.Caller) { ToolCalls = message.ToolCalls, ToolCallId = message.ToolCallId });
        }
    }
}
