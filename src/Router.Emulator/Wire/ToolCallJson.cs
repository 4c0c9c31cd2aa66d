using System.Buffers;
using System.Text.Json;
using Router.Emulator.Generation;

namespace Router.Emulator.Wire;

/// <summary>
/// Writes tool calls in the chat completions shapes: the <c>tool_calls</c> array of a message,
/// and the streamed deltas (the first names the call's index, id, type and function with empty
/// arguments, the next ones carry argument pieces under the same index), as the service sends them.
/// </summary>
public static class ToolCallJson
{
    public static void WriteToolCalls(Utf8JsonWriter writer, GeneratedToolCall call)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(call);
        writer.WriteStartArray("tool_calls");
        writer.WriteStartObject();
        writer.WriteString("id", call.Id);
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", call.Name);
        writer.WriteString("arguments", call.Arguments);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary>The first chunk of a tool-call answer: the role, null content, and the call's head.</summary>
    public static void WriteHeadChunk(IBufferWriter<byte> output, CompletionEnvelope envelope, GeneratedToolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var writer = new Utf8JsonWriter(output);
        ChatCompletionJson.WriteChunkStart(writer, envelope);
        writer.WriteStartObject("delta");
        writer.WriteString("role", "assistant");
        writer.WriteNull("content");
        writer.WriteStartArray("tool_calls");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteString("id", call.Id);
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", call.Name);
        writer.WriteString("arguments", string.Empty);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        writer.WriteNull("finish_reason");
        ChatCompletionJson.WriteChunkEnd(writer);
    }

    public static void WriteArgumentsChunk(IBufferWriter<byte> output, CompletionEnvelope envelope, string piece)
    {
        using var writer = new Utf8JsonWriter(output);
        ChatCompletionJson.WriteChunkStart(writer, envelope);
        writer.WriteStartObject("delta");
        writer.WriteStartArray("tool_calls");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("function");
        writer.WriteString("arguments", piece);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        writer.WriteNull("finish_reason");
        ChatCompletionJson.WriteChunkEnd(writer);
    }
}
