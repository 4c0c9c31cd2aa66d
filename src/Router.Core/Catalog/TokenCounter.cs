using Microsoft.ML.Tokenizers;

namespace Router.Core.Catalog;

/// <summary>
/// Counts tokens with the o200k encoding (gpt-4o family). Used only to split a call's
/// billed input into system / examples / context / caller parts; the bill itself always
/// comes from the usage the model returned.
/// </summary>
public sealed class TokenCounter
{
    private readonly TiktokenTokenizer _tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");

    public int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.CountTokens(text);
}
