using Router.Core.Classifier;

namespace Router.Core.Tests.Classifier;

/// <summary>
/// A seeded corpus of support tickets labelled the way the emulator's keyword rule labels them
/// (scripts/run-local.sh ships the same lists): a text holds the keywords of one label, or none and is
/// "other". Linked into Router.Functions.Tests, which sends it through the router and the emulator.
/// </summary>
public static class KeywordCorpus
{
    public static readonly string[] Labels = ["billing", "bug", "feature-request", "account", "other"];

    public static readonly IReadOnlyDictionary<string, string[]> Keywords = new Dictionary<string, string[]>
    {
        ["billing"] = ["charged", "invoice", "refund", "payment", "VAT"],
        ["bug"] = ["crash", "crashes", "error", "broken", "fails"],
        ["feature-request"] = ["add", "wish", "suggest"],
        ["account"] = ["login", "password", "email", "profile"],
    };

    private static readonly string[] Filler =
    [
        "the", "app", "today", "since", "yesterday", "my", "team", "page", "when", "I", "open", "screen", "please",
        "thanks", "again", "still", "order", "monday", "phone", "laptop", "our", "company", "settings", "report",
        "dashboard", "export", "shows", "something", "strange", "after", "update", "version", "morning", "help",
        "could", "you", "look", "into", "this", "quickly", "we", "use", "it", "every", "day", "for", "work", "hello",
        "regards", "customer", "number", "twelve", "week", "last", "month", "new", "old", "first", "time",
    ];

    /// <summary><paramref name="count"/> distinct texts with their labels; the same seed gives the same corpus.</summary>
    public static IReadOnlyList<(string Text, string Label)> Generate(int count, int seed, bool shuffleLabels = false)
    {
        var random = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var corpus = new List<(string, string)>(count);
        while (corpus.Count < count)
        {
            var words = Enumerable.Range(0, random.Next(6, 15)).Select(_ => Filler[random.Next(Filler.Length)]).ToList();
            var label = Labels[random.Next(Labels.Length)];
            if (Keywords.TryGetValue(label, out var keywords))
            {
                for (var k = random.Next(1, 3); k > 0; k--)
                {
                    words.Insert(random.Next(words.Count + 1), keywords[random.Next(keywords.Length)]);
                }
            }

            var text = string.Join(' ', words) + " #" + corpus.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (seen.Add(text))
            {
                corpus.Add((text, label));
            }
        }

        if (shuffleLabels)
        {
            var labels = corpus.Select(c => c.Item2).OrderBy(_ => random.Next()).ToArray();
            return corpus.Select((c, i) => (c.Item1, labels[i])).ToArray();
        }

        return corpus;
    }

    public static IReadOnlyList<LabelledText> Labelled(IReadOnlyList<(string Text, string Label)> corpus) =>
        corpus.Select(c => new LabelledText(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(c.Text))), c.Text, c.Label)).ToArray();
}
