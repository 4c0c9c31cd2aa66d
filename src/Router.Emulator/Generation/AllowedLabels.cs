using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Router.Emulator.Wire;

namespace Router.Emulator.Generation;

/// <summary>
/// The classification rule: a system message line <c>Allowed labels: a, b, c</c> means the answer
/// must be exactly one label. The pick is deterministic so tests can predict it: the label found
/// earliest (as a whole word, any case) in the last user message, else a stable hash of that
/// message. string.GetHashCode is randomised per process, so SHA-256 it is.
/// </summary>
public static class AllowedLabels
{
    public const string LinePrefix = "Allowed labels:";

    public static IReadOnlyList<string>? Find(IReadOnlyList<ChatMessageText> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            if (!message.Role.Equals("system", StringComparison.Ordinal)
                && !message.Role.Equals("developer", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var line in message.Content.AsSpan().EnumerateLines())
            {
                var trimmed = line.Trim();
                if (!trimmed.StartsWith(LinePrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var labels = new List<string>();
                foreach (var range in trimmed[LinePrefix.Length..].Split(','))
                {
                    var label = trimmed[LinePrefix.Length..][range].Trim();
                    if (!label.IsEmpty)
                    {
                        labels.Add(label.ToString());
                    }
                }

                if (labels.Count > 0)
                {
                    return labels;
                }
            }
        }

        return null;
    }

    /// <summary>The default rule (label words, else the hash); the configured one is <see cref="LabellingRule"/>.</summary>
    public static string Pick(IReadOnlyList<string> labels, string userText, long? seed = null) =>
        LabellingRule.Default.Pick(labels, userText, seed);

    public static uint StableHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }
}
