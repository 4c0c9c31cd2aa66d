using Router.Core.Routing;

namespace Router.Core.Classifier;

/// <summary>
/// The text a local classifier reads: the caller's (user) messages of the small-format prompt, joined
/// by new lines. One place for both sides, so the text trained on (a captured sample) and the text
/// predicted from (a served call) are built the same way; the short system prompt is the same for
/// every call and carries nothing to learn.
/// </summary>
public static class ClassifierInput
{
    public static string From(IEnumerable<(string Role, string Content)> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return string.Join('\n', messages.Where(m => m.Role.Equals("user", StringComparison.Ordinal)).Select(m => m.Content));
    }

    public static string From(IEnumerable<PromptMessage> messages) => From(messages.Select(m => (m.Role, m.Content)));

    public static string From(IEnumerable<CallerMessage> messages) => From(messages.Select(m => (m.Role, m.Content)));
}
