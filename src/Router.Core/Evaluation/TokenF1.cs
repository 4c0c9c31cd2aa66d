namespace Router.Core.Evaluation;

/// <summary>
/// The text-similarity score for generation (and knowledge) tasks: token-level F1 as in SQuAD.
/// Both texts are lower-cased and split into runs of letters and digits (punctuation and white space
/// separate tokens); with the multiset overlap o of the two token bags, precision = o / |candidate|,
/// recall = o / |reference| and F1 = 2PR / (P + R). Two empty texts score 1; one empty text scores 0.
/// </summary>
public static class TokenF1
{
    public static double Score(string reference, string candidate)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        var expected = Tokens(reference);
        var actual = Tokens(candidate);
        if (expected.Count == 0 || actual.Count == 0)
        {
            return expected.Count == actual.Count ? 1 : 0;
        }

        var bag = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in expected)
        {
            bag[token] = bag.GetValueOrDefault(token) + 1;
        }

        var overlap = 0;
        foreach (var token in actual)
        {
            if (bag.TryGetValue(token, out var left) && left > 0)
            {
                bag[token] = left - 1;
                overlap++;
            }
        }

        if (overlap == 0)
        {
            return 0;
        }

        var precision = (double)overlap / actual.Count;
        var recall = (double)overlap / expected.Count;
        return 2 * precision * recall / (precision + recall);
    }

    internal static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inToken = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inToken && start < 0)
            {
                start = i;
            }
            else if (!inToken && start >= 0)
            {
                tokens.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return tokens;
    }
}
