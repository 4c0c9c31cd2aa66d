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
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                Next(ref reader);
                parts.Model = StringOrSkip(ref reader);
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                sawChoices = true;
                var index = 0;
                while (Next(ref reader) == JsonTokenType.StartObject)
                {
                    // Router asks for one choice; only the first is read.
                    if (index++ == 0)
                    {
                        ReadChoice(ref reader, ref parts);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    parts.Usage = ReadUsage(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        if (!sawChoices && !parts.Streamed)
        {
            throw new JsonException("The answer has no choices.");
        }
    }

    private static void ReadChoice(ref Utf8JsonReader reader, ref Parts parts)
    {
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("finish_reason"u8))
            {
                Next(ref reader);
                parts.FinishReason = StringOrSkip(ref reader) is { } finish ? FinishReasonOf(finish) : null;
            }
            else if (reader.ValueTextEquals(parts.Streamed ? "delta"u8 : "message"u8))
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadMessage(ref reader, ref parts);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
    }

    private static void ReadMessage(ref Utf8JsonReader reader, ref Parts parts)
    {
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                Next(ref reader);
                parts.Text = StringOrSkip(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadToolCalls(ref reader, ref parts);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
    }

    private static void ReadToolCalls(ref Utf8JsonReader reader, ref Parts parts)
    {
        var position = 0;
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            int? index = null;
            string? id = null, name = null, arguments = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    Next(ref reader);
                    index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i) ? i : null;
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    Next(ref reader);
                    id = StringOrSkip(ref reader);
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    Next(ref reader);
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (Next(ref reader) == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("name"u8))
                        {
                            Next(ref reader);
                            name = StringOrSkip(ref reader);
                        }
                        else if (reader.ValueTextEquals("arguments"u8))
                        {
                            Next(ref reader);
                            arguments = StringOrSkip(ref reader);
                        }
                        else
                        {
                            Next(ref reader);
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    Next(ref reader);
                    reader.Skip();
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

            position++;
        }
    }

    private static TokenUsage ReadUsage(ref Utf8JsonReader reader)
    {
        int input = 0, output = 0, cached = 0;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                Next(ref reader);
                input = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                Next(ref reader);
                output = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                Next(ref reader);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    var isCached = reader.ValueTextEquals("cached_tokens"u8);
                    Next(ref reader);
                    if (isCached && reader.TokenType == JsonTokenType.Number)
                    {
                        cached = reader.GetInt32();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new TokenUsage(input, cached, output);
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
