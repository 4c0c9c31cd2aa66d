using System.Buffers;
using System.Text.Json;
using Router.Emulator.Generation;

namespace Router.Emulator.Wire;

/// <summary>
/// Writes chat.completion and chat.completion.chunk bodies in the shape the OpenAI .NET SDK 2.1
/// parses. Written by hand with Utf8JsonWriter: no reflection and no intermediate objects on the
/// hot path.
/// </summary>
public static class ChatCompletionJson
{
    public const string SystemFingerprint = "fp_emulator";

    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Object = JsonEncodedText.Encode("object");
    private static readonly JsonEncodedText Created = JsonEncodedText.Encode("created");
    private static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText Fingerprint = JsonEncodedText.Encode("system_fingerprint");
    private static readonly JsonEncodedText Choices = JsonEncodedText.Encode("choices");
    private static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText Delta = JsonEncodedText.Encode("delta");
    private static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
    private static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
    private static readonly JsonEncodedText Refusal = JsonEncodedText.Encode("refusal");
    private static readonly JsonEncodedText Logprobs = JsonEncodedText.Encode("logprobs");
    private static readonly JsonEncodedText FinishReason = JsonEncodedText.Encode("finish_reason");
    private static readonly JsonEncodedText Usage = JsonEncodedText.Encode("usage");
    private static readonly JsonEncodedText ChatCompletion = JsonEncodedText.Encode("chat.completion");
    private static readonly JsonEncodedText ChatCompletionChunk = JsonEncodedText.Encode("chat.completion.chunk");
    private static readonly JsonEncodedText Assistant = JsonEncodedText.Encode("assistant");

    public static void WriteCompletion(
        IBufferWriter<byte> output,
        CompletionEnvelope envelope,
        string content,
        string finishReason,
        int promptTokens,
        int completionTokens,
        GeneratedToolCall? toolCall = null)
    {
        using var writer = new Utf8JsonWriter(output);
        WriteHeader(writer, envelope, ChatCompletion);
        writer.WriteStartArray(Choices);
        writer.WriteStartObject();
        writer.WriteNumber(Index, 0);
        writer.WriteStartObject(Message);
        writer.WriteString(Role, Assistant);
        if (toolCall is null)
        {
            writer.WriteString(Content, content);
        }
        else
        {
            writer.WriteNull(Content);
            ToolCallJson.WriteToolCalls(writer, toolCall);
        }

        writer.WriteNull(Refusal);
        writer.WriteEndObject();
        writer.WriteNull(Logprobs);
        writer.WriteString(FinishReason, finishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        WriteUsage(writer, promptTokens, completionTokens);
        writer.WriteEndObject();
    }

    /// <summary>A content chunk; the first one of a stream also carries the assistant role.</summary>
    public static void WriteContentChunk(IBufferWriter<byte> output, CompletionEnvelope envelope, string? content, bool withRole)
    {
        using var writer = new Utf8JsonWriter(output);
        WriteChunkStart(writer, envelope);
        writer.WriteStartObject(Delta);
        if (withRole)
        {
            writer.WriteString(Role, Assistant);
        }

        if (content is not null)
        {
            writer.WriteString(Content, content);
        }

        writer.WriteEndObject();
        writer.WriteNull(Logprobs);
        writer.WriteNull(FinishReason);
        WriteChunkEnd(writer);
    }

    public static void WriteFinishChunk(IBufferWriter<byte> output, CompletionEnvelope envelope, string finishReason)
    {
        using var writer = new Utf8JsonWriter(output);
        WriteChunkStart(writer, envelope);
        writer.WriteStartObject(Delta);
        writer.WriteEndObject();
        writer.WriteNull(Logprobs);
        writer.WriteString(FinishReason, finishReason);
        WriteChunkEnd(writer);
    }

    /// <summary>The trailing chunk sent when stream_options.include_usage is set: no choices, only usage.</summary>
    public static void WriteUsageChunk(IBufferWriter<byte> output, CompletionEnvelope envelope, int promptTokens, int completionTokens)
    {
        using var writer = new Utf8JsonWriter(output);
        WriteHeader(writer, envelope, ChatCompletionChunk);
        writer.WriteStartArray(Choices);
        writer.WriteEndArray();
        WriteUsage(writer, promptTokens, completionTokens);
        writer.WriteEndObject();
    }

    internal static void WriteHeader(Utf8JsonWriter writer, CompletionEnvelope envelope, JsonEncodedText objectType)
    {
        writer.WriteStartObject();
        writer.WriteString(Id, envelope.Id);
        writer.WriteString(Object, objectType);
        writer.WriteNumber(Created, envelope.CreatedUnixSeconds);
        writer.WriteString(Model, envelope.Model);
        writer.WriteString(Fingerprint, SystemFingerprint);
    }

    internal static void WriteChunkStart(Utf8JsonWriter writer, CompletionEnvelope envelope)
    {
        WriteHeader(writer, envelope, ChatCompletionChunk);
        writer.WriteStartArray(Choices);
        writer.WriteStartObject();
        writer.WriteNumber(Index, 0);
    }

    internal static void WriteChunkEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter writer, int promptTokens, int completionTokens)
    {
        writer.WriteStartObject(Usage);
        writer.WriteNumber("prompt_tokens", promptTokens);
        writer.WriteNumber("completion_tokens", completionTokens);
        writer.WriteNumber("total_tokens", promptTokens + completionTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", 0);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
