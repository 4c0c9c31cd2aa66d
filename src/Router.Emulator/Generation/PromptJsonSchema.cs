using System.Text.Json;
using Router.Emulator.Wire;

namespace Router.Emulator.Generation;

/// <summary>
/// The JSON rule the router writes into a JSON task's system prompt:
/// <c>Respond with JSON only, matching this JSON schema: {...}</c>. A model told the schema answers
/// with an object that follows it, so the emulator does too (JSON mode without a schema still
/// answers <c>{"summary": ...}</c>).
/// </summary>
public static class PromptJsonSchema
{
    public const string Marker = "matching this JSON schema:";

    public static JsonElement? Find(IReadOnlyList<ChatMessageText> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            if (!message.Role.Equals("system", StringComparison.Ordinal) && !message.Role.Equals("developer", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var line in message.Content.Split('\n'))
            {
                var at = line.IndexOf(Marker, StringComparison.Ordinal);
                if (at < 0)
                {
                    continue;
                }

                try
                {
                    using var schema = JsonDocument.Parse(line[(at + Marker.Length)..]);
                    return schema.RootElement.Clone();
                }
                catch (JsonException)
                {
                    return null;
                }
            }
        }

        return null;
    }
}
