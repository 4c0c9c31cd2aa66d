using Router.Emulator.Wire;

namespace Router.Emulator.Generation;

/// <summary>
/// The emulator as a judge: a system message starting with <see cref="Preamble"/> asks it to grade the
/// user message's <c>Candidate answer:</c> against its <c>Reference answer:</c>. It answers <c>agree</c>
/// when the two share most words (token F1 at least <see cref="AgreeAtF1"/>, words compared
/// case-insensitively without punctuation), else <c>disagree</c>: deterministic, so a test knows which
/// shadow answers a judge accepts (the quality knob's reworded answers, F1 about 0.5, are refused).
/// </summary>
public static class GradingRule
{
    public const string Preamble = "Grade the candidate answer against the reference answer.";
    public const double AgreeAtF1 = 0.75;

    private const string ReferenceMarker = "Reference answer:\n";
    private const string CandidateMarker = "\n\nCandidate answer:\n";

    /// <summary>agree / disagree for a grading request; null for any other request.</summary>
    public static string? Grade(IReadOnlyList<ChatMessageText> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!messages.Any(m => m.Role is "system" or "developer" && m.Content.StartsWith(Preamble, StringComparison.Ordinal)))
        {
            return null;
        }

        var user = messages.LastOrDefault(m => m.Role == "user")?.Content ?? string.Empty;
        var referenceAt = user.IndexOf(ReferenceMarker, StringComparison.Ordinal);
        var candidateAt = user.IndexOf(CandidateMarker, StringComparison.Ordinal);
        if (referenceAt < 0 || candidateAt < referenceAt)
        {
            return "disagree";
        }

        var reference = user[(referenceAt + ReferenceMarker.Length)..candidateAt];
        var candidate = user[(candidateAt + CandidateMarker.Length)..];
        return F1(reference, candidate) >= AgreeAtF1 ? "agree" : "disagree";
    }

    internal static double F1(string reference, string candidate)
    {
        var expected = Words(reference);
        var actual = Words(candidate);
        if (expected.Count == 0 || actual.Count == 0)
        {
            return expected.Count == actual.Count ? 1 : 0;
        }

        var counts = expected.GroupBy(w => w, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var common = 0;
        foreach (var word in actual)
        {
            if (counts.TryGetValue(word, out var left) && left > 0)
            {
                counts[word] = left - 1;
                common++;
            }
        }

        if (common == 0)
        {
            return 0;
        }

        var precision = (double)common / actual.Count;
        var recall = (double)common / expected.Count;
        return 2 * precision * recall / (precision + recall);
    }

    private static List<string> Words(string text) =>
        text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant())
            .Where(w => w.Length > 0)
            .ToList();
}
