using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Router.Emulator.Options;
using Router.Emulator.Tokens;
using Router.Emulator.Wire;

namespace Router.Emulator.Generation;

/// <summary>
/// Produces a deterministic answer from the request, so the same input always gets the same
/// output: a tool call when tools are offered and it is the model's turn to act, a label when the
/// prompt lists allowed labels, an instance of the caller's json_schema, a small JSON object when
/// JSON is asked for, otherwise a short summary-like text; cut at a stop sequence, varied by a seed.
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
    private readonly LabellingRule _labelling;

    public OutputGenerator(TokenCounter tokens, IOptions<EmulatorOptions> options, Quality.QualityKnob quality, LabellingRule labelling)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tokens = tokens;
        _quality = quality;
        _labelling = labelling;
        _defaultOutputTokens = options.Value.DefaultOutputTokens;
    }

    /// <param name="request">The parsed request.</param>
    /// <param name="malformed">The malformed fault: content that is neither a label nor JSON.</param>
    /// <param name="offSchema">The off-schema fault: answer as if no json_schema had been given.</param>
    public GeneratedOutput Generate(ChatRequest request, bool malformed, bool offSchema = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = SourceText(request.Messages);
        if (!malformed && ToolCallPlanner.Plan(request, source) is { } call)
        {
            return new GeneratedOutput(string.Empty, _tokens.Count(call.Name) + _tokens.Count(call.Arguments), "tool_calls", call);
        }

        var content = malformed ? MalformedContent : _quality.Apply(request, Compose(request, source, offSchema), source);
        content = StopSequences.Apply(content, request.Controls.Stop);
        var truncated = false;
        if (request.MaxOutputTokens is { } max)
        {
            content = _tokens.Truncate(content, max, out truncated);
        }

        return new GeneratedOutput(content, _tokens.Count(content), truncated ? "length" : "stop");
    }

    private string Compose(ChatRequest request, string source, bool offSchema)
    {
        var seed = request.Controls.Seed;
        if (GradingRule.Grade(request.Messages) is { } grade)
        {
            return grade;
        }

        if (AllowedLabels.Find(request.Messages) is { } labels)
        {
            return _labelling.Pick(labels, source, seed);
        }

        var text = SeededText.Rotate(source, seed);
        if (!offSchema && request.Controls.JsonSchema is { } schema)
        {
            return SchemaInstance.Build(schema, FirstWords(text, JsonSummaryWords));
        }

        if (!offSchema && PromptJsonSchema.Find(request.Messages) is { } promptSchema)
        {
            return SchemaInstance.Build(promptSchema, FirstWords(text, JsonSummaryWords));
        }

        if (request.JsonResponseFormat || AsksForJson(request.Messages))
        {
            var summary = FirstWords(text, JsonSummaryWords);
            return "{\"summary\":\"" + JsonEncodedText.Encode(summary).Value + "\"}";
        }

        var answer = text.Length == 0 ? "OK" : "Summary: " + FirstWords(text, SummaryWords);

        // The default cap is the emulator's own brevity, not the caller's limit, so it still reads as "stop".
        return _tokens.Truncate(answer, _defaultOutputTokens, out _);
    }

    /// <summary>What the answer is about: the tool result when the conversation ends with one, else the user's last message.</summary>
    private static string SourceText(IReadOnlyList<ChatMessageText> messages)
    {
        if (messages.Count > 0 && messages[^1].Role.Equals("tool", StringComparison.Ordinal))
        {
            return messages[^1].Content;
        }

        return LastUserText(messages);
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
