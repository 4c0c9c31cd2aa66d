using System.Text.Json;

namespace Router.Core.Models;

/// <summary>
/// Reads a chat-completions answer and its stream chunks from the raw bytes the SDK client's
/// protocol method returns, into the flow's own types, with one <see cref="Utf8JsonReader"/> pass
/// each (no SDK response models, no document). Unknown properties are skipped; a body that is
/// not a chat completion throws <see cref="JsonException"/>, which the model reports as 502.
/// </summary>
public static class ChatResponseReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>A non-streamed completion. Usage is null when the model sent none (the caller refuses such an answer: it cannot be billed).</summary>
    public static (ChatModelResponse Response, bool HasUsage) ReadCompletion(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, Options);
        var parts = new Parts(streamed: false);
        ReadRoot(ref reader, ref parts);
        var response = new ChatModelResponse(parts.Text ?? string.Empty, parts.FinishReason ?? "stop", parts.Usage ?? default, parts.Model)
        {
            ToolCalls = parts.ToolCalls ?? [],
        };
        return (response, parts.Usage is not null);
    }

    /// <summary>One <c>data:</c> payload of a stream (not <c>[DONE]</c>).</summary>
    public static ChatStreamUpdate ReadChunk(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data, Options);
        var parts = new Parts(streamed: true);
        ReadRoot(ref reader, ref parts);
        return new ChatStreamUpdate(string.IsNullOrEmpty(parts.Text) ? null : parts.Text, parts.FinishReason, parts.Usage, parts.Model)
        {
            ToolCalls = parts.Deltas ?? [],
        };
    }

    /// <summary>The finish reasons the OpenAI API defines, passed on as the wire value; anything else reads as stop.</summary>
    internal static string FinishReasonOf(string? wire) => wire switch
    {
        "stop" or "length" or "content_filter" or "tool_calls" or "function_call" => wire,
        _ => "stop",
    };

    private static void ReadRoot(ref Utf8JsonReader reader, ref Parts parts)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var sawChoices = false;
        for (int p; (p = NextProperty(ref reader, "model"u8, "choices"u8, "usage"u8)) != End;)
        {
            switch (p)
            {
                case 0:
                    parts.Model = StringOrSkip(ref reader);
                    break;
                case 1 when reader.TokenType == JsonTokenType.StartArray:
                    sawChoices = true;
                    // Router asks for one choice; only the first is read.
                    for (var index = 0; Next(ref reader) == JsonTokenType.StartObject; index++)
                    {
                        if (index == 0)
                        {
                            ReadChoice(ref reader, ref parts);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }

                    break;
                case 1:
                    throw new JsonException($"Expected the choices array in the answer, found {reader.TokenType}.");
                case 2 when reader.TokenType == JsonTokenType.StartObject:
                    parts.Usage = ReadUsage(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (!sawChoices && !parts.Streamed)
        {
            throw new JsonException("The answer has no choices.");
        }
    }

    private static void ReadChoice(ref Utf8JsonReader reader, ref Parts parts)
    {
        for (int p; (p = NextProperty(ref reader, "finish_reason"u8, parts.Streamed ? "delta"u8 : "message"u8)) != End;)
        {
            switch (p)
            {
                case 0:
                    parts.FinishReason = StringOrSkip(ref reader) is { } finish ? FinishReasonOf(finish) : null;
                    break;
                case 1 when reader.TokenType == JsonTokenType.StartObject:
                    ReadMessage(ref reader, ref parts);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static void ReadMessage(ref Utf8JsonReader reader, ref Parts parts)
    {
        for (int p; (p = NextProperty(ref reader, "content"u8, "tool_calls"u8)) != End;)
        {
            switch (p)
            {
                case 0:
                    parts.Text = StringOrSkip(ref reader);
                    break;
                case 1 when reader.TokenType == JsonTokenType.StartArray:
                    ReadToolCalls(ref reader, ref parts);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static void ReadToolCalls(ref Utf8JsonReader reader, ref Parts parts)
    {
        for (var position = 0; Next(ref reader) == JsonTokenType.StartObject; position++)
        {
            int? index = null;
            string? id = null, name = null, arguments = null;
            for (int p; (p = NextProperty(ref reader, "index"u8, "id"u8, "function"u8)) != End;)
            {
                switch (p)
                {
                    case 0 when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i):
                        index = i;
                        break;
                    case 1:
                        id = StringOrSkip(ref reader);
                        break;
                    case 2 when reader.TokenType == JsonTokenType.StartObject:
                        for (int f; (f = NextProperty(ref reader, "name"u8, "arguments"u8)) != End;)
                        {
                            switch (f)
                            {
                                case 0:
                                    name = StringOrSkip(ref reader);
                                    break;
                                case 1:
                                    arguments = StringOrSkip(ref reader);
                                    break;
                                default:
                                    reader.Skip();
                                    break;
                            }
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (parts.Streamed)
            {
                (parts.Deltas ??= []).Add(new ToolCallDelta(index ?? position, id, name, arguments));
            }
            else
            {
                (parts.ToolCalls ??= []).Add(new ToolCall(id ?? string.Empty, name ?? string.Empty, arguments ?? string.Empty));
            }
        }
    }

    private static TokenUsage ReadUsage(ref Utf8JsonReader reader)
    {
        int input = 0, output = 0, cached = 0;
        for (int p; (p = NextProperty(ref reader, "prompt_tokens"u8, "completion_tokens"u8, "prompt_tokens_details"u8)) != End;)
        {
            switch (p)
            {
                case 0:
                    input = reader.GetInt32();
                    break;
                case 1:
                    output = reader.GetInt32();
                    break;
                case 2 when reader.TokenType == JsonTokenType.StartObject:
                    for (int d; (d = NextProperty(ref reader, "cached_tokens"u8)) != End;)
                    {
                        if (d == 0 && reader.TokenType == JsonTokenType.Number)
                        {
                            cached = reader.GetInt32();
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new TokenUsage(input, cached, output);
    }

    private const int End = -1;
    private const int Other = 3;

    /// <summary>
    /// Moves to the next property's value within an object: which of the given names it has (0..2),
    /// <see cref="Other"/> for any other name, or <see cref="End"/> at the end of the object. One place for the
    /// walk, so each reader above only says what it keeps; a value it does not keep is skipped whole.
    /// </summary>
    private static int NextProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name0, ReadOnlySpan<byte> name1 = default, ReadOnlySpan<byte> name2 = default)
    {
        if (Next(ref reader) != JsonTokenType.PropertyName)
        {
            return End;
        }

        var which = reader.ValueTextEquals(name0) ? 0
            : !name1.IsEmpty && reader.ValueTextEquals(name1) ? 1
            : !name2.IsEmpty && reader.ValueTextEquals(name2) ? 2
            : Other;
        Next(ref reader);
        return which;
    }

    /// <summary>A string value, or null for anything else (a nested value is skipped whole).</summary>
    private static string? StringOrSkip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The answer ended early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"Expected {type} in the answer, found {reader.TokenType}.");
        }
    }

    private struct Parts(bool streamed)
    {
        public readonly bool Streamed = streamed;
        public string? Model;
        public string? Text;
        public string? FinishReason;
        public TokenUsage? Usage;
        public List<ToolCall>? ToolCalls;
        public List<ToolCallDelta>? Deltas;
    }
}
