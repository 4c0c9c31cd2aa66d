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

    public static string Pick(IReadOnlyList<string> labels, string userText, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(userText);
        string? earliest = null;
        var earliestIndex = int.MaxValue;
        foreach (var label in labels)
        {
            var index = IndexOfWord(userText, label);
            if (index >= 0 && index < earliestIndex)
            {
                earliest = label;
                earliestIndex = index;
            }
        }

        return earliest ?? labels[(int)(StableHash(SeededText.HashInput(userText, seed)) % (uint)labels.Count)];
    }

    public static uint StableHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }

    private static int IndexOfWord(string text, string word)
    {
        var from = 0;
        while (from <= text.Length - word.Length)
        {
            var index = text.IndexOf(word, from, StringComparison.OrdinalIgnoreCase);
            if (index < 0)
            {
                return -1;
            }

            var end = index + word.Length;
            var startsWord = index == 0 || !char.IsLetterOrDigit(text[index - 1]);
            var endsWord = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (startsWord && endsWord)
            {
                return index;
            }

            from = index + 1;
        }

        return -1;
    }
}
