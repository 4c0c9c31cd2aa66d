using Microsoft.ML.Tokenizers;

namespace Router.Emulator.Tests;

/// <summary>
/// Counts chat prompt tokens straight from the tokenizer, written out here rather than calling the
/// emulator's own formula, so a wrong formula there cannot agree with itself.
/// </summary>
public static class IndependentTokenCount
{
    private static readonly Tokenizer Tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");

    public static int Text(string text) => Tokenizer.CountTokens(text);

    public static int Prompt(params (string Role, string Content)[] messages) =>
        messages.Sum(m => 3 + Tokenizer.CountTokens(m.Role) + Tokenizer.CountTokens(m.Content)) + 3;
}
