using System.Text.Json;
using Router.Core.Models;

namespace Router.Functions.OpenAi;

/// <summary>
/// Writes the OpenAI wire objects field by field, so the shape (snake_case, explicit nulls
/// where the spec requires the field) does not depend on serializer settings.
/// </summary>
public static class OpenAiWire
{
    /// <summary>A chat.completion; an answer that called tools has content null (when it said nothing) and its tool_calls.</summary>
    public static void WriteCompletion(Utf8JsonWriter writer, string id, long created, string model, string content, string? finishReason, TokenUsage usage, IReadOnlyList<ToolCall>? toolCalls = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("object", "chat.completion");
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        if (toolCalls is { Count: > 0 } && content.Length == 0)
        {
            writer.WriteNull("content");
        }
        else
        {
            writer.WriteString("content", content);
        }

        writer.WriteNull("refusal");
        if (toolCalls is { Count: > 0 })
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in toolCalls)
            {
                writer.WriteStartObject();
                writer.WriteString("id", call.Id);
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", call.Arguments);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        writer.WriteString("finish_reason", finishReason ?? "stop");
        writer.WriteEndObject();
        writer.WriteEndArray();
        WriteUsage(writer, usage);
        writer.WriteEndObject();
    }

    /// <summary>One chunk with a single choice. <paramref name="withUsageNull"/>: the client asked for usage, so every chunk but the last says usage: null.</summary>
    /// <param name="toolCalls">Pieces of tool calls, in the spec's delta shape: a call's first piece has its id, type and function name, the rest argument fragments.</param>
    public static void WriteChunk(Utf8JsonWriter writer, string id, long created, string model, string? role, string? content, string? finishReason, bool withUsageNull, IReadOnlyList<ToolCallDelta>? toolCalls = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteChunkStart(writer, id, created, model);
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("delta");
        if (role is not null)
        {
            writer.WriteString("role", role);
        }

        if (content is not null)
        {
            writer.WriteString("content", content);
        }

        if (toolCalls is { Count: > 0 })
        {
            writer.WriteStartArray("tool_calls");
            foreach (var piece in toolCalls)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", piece.Index);
                if (piece.Id is not null)
                {
                    writer.WriteString("id", piece.Id);
                    writer.WriteString("type", "function");
                }

                writer.WriteStartObject("function");
                if (piece.Name is not null)
                {
                    writer.WriteString("name", piece.Name);
                }

                writer.WriteString("arguments", piece.ArgumentsDelta ?? string.Empty);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        if (finishReason is null)
        {
            writer.WriteNull("finish_reason");
        }
        else
        {
            writer.WriteString("finish_reason", finishReason);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        if (withUsageNull)
        {
            writer.WriteNull("usage");
        }

        writer.WriteEndObject();
    }

    /// <summary>The last chunk when the client set stream_options.include_usage: no choices, the usage of the whole call.</summary>
    public static void WriteUsageChunk(Utf8JsonWriter writer, string id, long created, string model, TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteChunkStart(writer, id, created, model);
        writer.WriteEndArray();
        WriteUsage(writer, usage);
        writer.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter writer, string message, string type, string? param, string? code)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", message);
        writer.WriteString("type", type);
        if (param is null)
        {
            writer.WriteNull("param");
        }
        else
        {
            writer.WriteString("param", param);
        }

        if (code is null)
        {
            writer.WriteNull("code");
        }
        else
        {
            writer.WriteString("code", code);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteChunkStart(Utf8JsonWriter writer, string id, long created, string model)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("object", "chat.completion.chunk");
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
        writer.WriteStartArray("choices");
    }

    private static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.Input);
        writer.WriteNumber("completion_tokens", usage.Output);
        writer.WriteNumber("total_tokens", usage.Total);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedInput);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
