using Router.Emulator.Wire;

namespace Router.Emulator.Tokens;

/// <summary>
/// The OpenAI cookbook's chat prompt formula ("How to count tokens with tiktoken", gpt-4o):
/// every message costs 3 framing tokens plus its role and content (and 1 more plus the name
/// when a name is set), and every reply is primed with 3 more tokens. This is the one place
/// the formula lives; tests count independently against it.
/// </summary>
public static class ChatPromptTokens
{
    public const int TokensPerMessage = 3;
    public const int TokensPerName = 1;
    public const int ReplyPrimingTokens = 3;

    public static int Count(TokenCounter counter, IReadOnlyList<ChatMessageText> messages)
    {
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentNullException.ThrowIfNull(messages);
        var total = ReplyPrimingTokens;
        foreach (var message in messages)
        {
            total += TokensPerMessage + counter.Count(message.Role) + counter.Count(message.Content);
            if (message.Name is not null)
            {
                total += TokensPerName + counter.Count(message.Name);
            }
        }

        return total;
    }
}
