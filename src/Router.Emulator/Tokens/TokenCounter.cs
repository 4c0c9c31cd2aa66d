using Microsoft.ML.Tokenizers;

namespace Router.Emulator.Tokens;

/// <summary>
/// Counts tokens with the real o200k_base vocabulary (gpt-4o family), so the usage the router
/// meters against budgets is what Azure would bill. The tokenizer is built once: loading the
/// vocabulary is slow, and the instance is thread-safe.
/// </summary>
public sealed class TokenCounter
{
    private readonly TiktokenTokenizer _tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");

    public Tokenizer Tokenizer => _tokenizer;

    public int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.CountTokens(text);

    /// <summary>The longest prefix of <paramref name="text"/> that fits in <paramref name="maxTokens"/> tokens.</summary>
    public string Truncate(string text, int maxTokens, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(text);
        var end = _tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out _);
        truncated = end < text.Length;
        return truncated ? text[..end] : text;
    }

    /// <summary>
    /// Splits text into per-token pieces for streaming. The pieces always concatenate back to the
    /// text: a token that ends inside a multi-byte character gets an empty piece and its
    /// characters travel with the next one.
    /// </summary>
    public IReadOnlyList<string> SplitIntoTokenPieces(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var tokens = _tokenizer.EncodeToTokens(text, out _);
        var pieces = new List<string>(tokens.Count);
        var start = 0;
        foreach (var token in tokens)
        {
            var end = Math.Clamp(token.Offset.End.GetOffset(text.Length), start, text.Length);
            pieces.Add(text[start..end]);
            start = end;
        }

        if (start < text.Length)
        {
            pieces[^1] += text[start..];
        }

        return pieces;
    }
}
