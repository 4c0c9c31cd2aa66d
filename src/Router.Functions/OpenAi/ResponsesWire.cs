using System.Text.Json;
using Router.Core.Models;

namespace Router.Functions.OpenAi;

/// <summary>
/// Writes the Responses API's wire objects field by field (as <see cref="OpenAiWire"/> does for
/// chat completions): the <c>response</c> object, its output items and the typed stream events.
/// What the caller sent is echoed back (instructions, the output cap actually applied,
/// temperature, top_p, metadata); the router's fixed answers are the stateless ones
/// (store false, no previous response, no tools yet, truncation disabled).
/// </summary>
public static class ResponsesWire
{
    public const string Completed = "completed";
    public const string InProgress = "in_progress";
    public const string Incomplete = "incomplete";
    public const string Failed = "failed";

    /// <summary>The response's terminal status and, when incomplete, why: a chat finish reason mapped to the Responses API's terms.</summary>
    public static (string Status, string? IncompleteReason) StatusOf(string? finishReason) => finishReason switch
    {
        "length" => (Incomplete, "max_output_tokens"),
        "content_filter" => (Incomplete, "content_filter"),
        _ => (Completed, null),
    };

    public static void WriteResponse(Utf8JsonWriter writer, ResponseFrame frame, string status, IReadOnlyList<ResponseItem> output, TokenUsage? usage, ResponseFailure? failure = null, string? incompleteReason = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(output);
        var request = frame.Request;
        writer.WriteStartObject();
        writer.WriteString("id", frame.Id);
        writer.WriteString("object", "response");
        writer.WriteNumber("created_at", frame.CreatedAt);
        writer.WriteString("status", status);
        if (status == Completed && frame.CompletedAt is { } completedAt)
        {
            writer.WriteNumber("completed_at", completedAt);
        }
        else
        {
            writer.WriteNull("completed_at");
        }

        if (failure is null)
        {
            writer.WriteNull("error");
        }
        else
        {
            writer.WriteStartObject("error");
            writer.WriteString("code", failure.Code);
            writer.WriteString("message", failure.Message);
            writer.WriteEndObject();
        }

        if (incompleteReason is null)
        {
            writer.WriteNull("incomplete_details");
        }
        else
        {
            writer.WriteStartObject("incomplete_details");
            writer.WriteString("reason", incompleteReason);
            writer.WriteEndObject();
        }

        WriteNullable(writer, "instructions", request.Instructions);
        WriteNullable(writer, "max_output_tokens", frame.MaxOutputTokens);
        writer.WriteString("model", frame.Model);
        writer.WriteStartArray("output");
        foreach (var item in output)
        {
            WriteItem(writer, item);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("parallel_tool_calls", true);
        writer.WriteNull("previous_response_id");
        writer.WriteNull("reasoning");
        writer.WriteBoolean("store", false);
        writer.WriteBoolean("background", false);
        WriteNullable(writer, "temperature", request.Temperature);
        writer.WriteStartObject("text");
        writer.WriteStartObject("format");
        writer.WriteString("type", "text");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("tool_choice", "auto");
        writer.WriteStartArray("tools");
        writer.WriteEndArray();
        WriteNullable(writer, "top_p", request.TopP);
        writer.WriteString("truncation", "disabled");
        if (usage is { } billed)
        {
            WriteUsage(writer, billed);
        }

        writer.WriteStartObject("metadata");
        foreach (var (key, value) in request.Metadata ?? new Dictionary<string, string>())
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteItem(Utf8JsonWriter writer, ResponseItem item)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (item)
        {
            case MessageItem message:
                writer.WriteStartObject();
                writer.WriteString("id", message.Id);
                writer.WriteString("type", "message");
                writer.WriteString("status", message.Status);
                writer.WriteString("role", "assistant");
                writer.WriteStartArray("content");
                if (message.Text is { } text)
                {
                    WriteTextPart(writer, text);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(item), item?.GetType().Name, "Unknown output item.");
        }
    }

    public static void WriteTextPart(Utf8JsonWriter writer, string text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", "output_text");
        writer.WriteString("text", text);
        writer.WriteStartArray("annotations");
        writer.WriteEndArray();
        writer.WriteStartArray("logprobs");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", usage.Input);
        writer.WriteStartObject("input_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedInput);
        writer.WriteNumber("cache_write_tokens", 0);
        writer.WriteEndObject();
        writer.WriteNumber("output_tokens", usage.Output);
        writer.WriteStartObject("output_tokens_details");
        writer.WriteNumber("reasoning_tokens", 0);
        writer.WriteEndObject();
        writer.WriteNumber("total_tokens", usage.Total);
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
