using Microsoft.Extensions.Options;
using Router.Emulator.Options;

namespace Router.Emulator.Generation;

/// <summary>
/// Which allowed label the emulated model answers for a text: the label one of whose words
/// (its own name, plus <c>Emulator:Labelling:Keywords:{label}</c>) occurs earliest in the text as a
/// whole word in any case; a tie at one position goes to the longer word, then to the label listed
/// first. A text with no such word gets <c>Emulator:Labelling:Fallback</c> when that label is allowed,
/// else a stable hash of the text (and seed) picks one. With nothing configured this is the plain
/// label-word match the emulator always had; with keywords and a fallback it is a rule a bag-of-words
/// classifier can learn exactly, so a distilled classifier can match the "large model".
/// </summary>
public sealed class LabellingRule(IOptions<EmulatorOptions> options)
{
    private readonly LabellingOptions _options = options.Value.Labelling;

    /// <summary>The rule with no keywords and no fallback: label words, else the hash.</summary>
    public static LabellingRule Default { get; } = new(Microsoft.Extensions.Options.Options.Create(new EmulatorOptions()));

    public string Pick(IReadOnlyList<string> labels, string userText, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(userText);
        string? best = null;
        var bestIndex = int.MaxValue;
        var bestLength = 0;
        foreach (var label in labels)
        {
            foreach (var word in WordsOf(label))
            {
                var index = IndexOfWord(userText, word);
                if (index >= 0 && (index < bestIndex || (index == bestIndex && word.Length > bestLength)))
                {
                    best = label;
                    bestIndex = index;
                    bestLength = word.Length;
                }
            }
        }

        if (best is not null)
        {
            return best;
        }

        if (_options.Fallback is { } fallback && labels.FirstOrDefault(l => l.Equals(fallback, StringComparison.OrdinalIgnoreCase)) is { } allowed)
        {
            return allowed;
        }

        return labels[(int)(AllowedLabels.StableHash(SeededText.HashInput(userText, seed)) % (uint)labels.Count)];
    }

    private IEnumerable<string> WordsOf(string label)
    {
        yield return label;
        if (_options.Keywords.TryGetValue(label, out var words))
        {
            foreach (var word in words)
            {
                yield return word;
            }
        }
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
