namespace Router.Emulator.Options;

/// <summary>
/// The emulator's classification rule (<c>Emulator:Labelling</c>): which words in a text make the
/// "large model" answer a label, so a classifier trained on its answers has something to learn.
/// </summary>
public sealed class LabellingOptions
{
    /// <summary>
    /// Extra words per label (<c>Emulator:Labelling:Keywords:{label}:0..n</c>), matched as whole words in
    /// any case. A label's own name always counts as one of its words, so with none configured the rule
    /// is the plain label-word match.
    /// </summary>
    public Dictionary<string, List<string>> Keywords { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The label for a text that contains no word of any allowed label, when it is one of the allowed
    /// labels; null (or not allowed) = a stable hash of the text picks the label, as before.
    /// </summary>
    public string? Fallback { get; set; }
}
