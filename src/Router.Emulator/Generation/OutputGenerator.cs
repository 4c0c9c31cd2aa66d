using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Router.Emulator.Options;
using Router.Emulator.Tokens;
using Router.Emulator.Wire;

namespace Router.Emulator.Generation;

/// <summary>
/// Produces a deterministic answer from the request, so the same input always gets the same
/// output: a label when the prompt lists allowed labels, a small JSON object when JSON is asked
/// for, otherwise a short summary-like text.
/// </summary>
public sealed class OutputGenerator
{
    /// <summary>Content for the malformed fault: neither a label nor JSON.</summary>
    public const string MalformedContent = "~~malformed~~ output";

    private const int SummaryWords = 40;
    private const int JsonSummaryWords = 8;

    private readonly TokenCounter _tokens;
    private readonly int _defaultOutputTokens;

    private readonly Quality.QualityKnob _quality;

    public OutputGenerator(TokenCounter tokens, IOptions<EmulatorOptions> options, Quality.QualityKnob quality)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tokens = tokens;
        _quality = quality;
        _defaultOutputTokens = options.Value.DefaultOutputTokens;
    }

    public GeneratedOutput Generate(ChatRequest request, bool malformed)
    {
        ArgumentNullException.ThrowIfNull(request);
        var content = malformed ? MalformedContent : _quality.Apply(request, Compose(request), LastUserText(request.Messages));
        var truncated = false;
        if (request.MaxOutputTokens is { } max)
        {
            content = _tokens.Truncate(content, max, out truncated);
        }

        return new GeneratedOutput(content, _tokens.Count(content), truncated ? "length" : "stop");
    }

    private string Compose(ChatRequest request)
    {
        var userText = LastUserText(request.Messages);
        if (AllowedLabels.Find(request.Messages) is { } labels)
        {
            return AllowedLabels.Pick(labels, userText);
        }

        if (request.JsonResponseFormat || AsksForJson(request.Messages))
        {
            var summary = FirstWords(userText, JsonSummaryWords);
            return "{\"summary\":\"" + JsonEncodedText.Encode(summary).Value + "\"}";
        }

        var text = userText.Length == 0 ? "OK" : "Summary: " + FirstWords(userText, SummaryWords);

        // The default cap is the emulator's own brevity, not the caller's limit, so it still reads as "stop".
        return _tokens.Truncate(text, _defaultOutputTokens, out _);
    }

    private static string LastUserText(IReadOnlyList<ChatMessageText> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role.Equals("user", StringComparison.Ordinal))
            {
                return messages[i].Content;
            }
        }

        return string.Empty;
    }

    private static bool AsksForJson(IReadOnlyList<ChatMessageText> messages)
    {
        foreach (var message in messages)
        {
            if ((message.Role.Equals("system", StringComparison.Ordinal) || message.Role.Equals("developer", StringComparison.Ordinal))
                && message.Content.Contains("Respond with JSON", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string FirstWords(string text, int count)
    {
        var builder = new StringBuilder();
        var taken = 0;
        foreach (var range in text.AsSpan().SplitAny(" \t\r\n"))
        {
            var word = text.AsSpan()[range];
            if (word.IsEmpty)
            {
                continue;
            }

            if (taken > 0)
            {
                builder.Append(' ');
            }

            builder.Append(word);
            if (++taken == count)
            {
                break;
            }
        }

        return builder.ToString();
    }
}
