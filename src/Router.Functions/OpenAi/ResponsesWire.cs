using System.Text.Json;
using Router.Core.Models;
using Router.Core.Routing;

namespace Router.Functions.OpenAi;

/// <summary>
/// Writes the Responses API's wire objects field by field (as <see cref="OpenAiWire"/> does for
/// chat completions): the <c>response</c> object, its output items and the typed stream events.
/// What the caller sent is echoed back (instructions, the output cap actually applied,
/// temperature, top_p, metadata); the router's fixed answers are the stateless ones
/// (store false, no previous response, truncation disabled).
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

    /// <summary>
    /// The output items of a whole answer: the message (unless the model only called functions),
    /// then one function_call item per tool call.
    /// </summary>
    public static IReadOnlyList<ResponseItem> OutputOf(string callId, ChatModelResponse answer, string status)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var items = new List<ResponseItem>(1 + answer.ToolCalls.Count);
        if (answer.Text.Length > 0 || answer.ToolCalls.Count == 0)
        {
            items.Add(new MessageItem(ResponseFrame.MessageId(callId), status, answer.Text));
        }

        for (var i = 0; i < answer.ToolCalls.Count; i++)
        {
            var call = answer.ToolCalls[i];
            items.Add(new FunctionCallItem(ResponseFrame.FunctionCallId(callId, i), Completed, call.Id, call.Name, call.Arguments));
        }

        return items;
    }

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
        writer.WriteBoolean("parallel_tool_calls", request.ParallelToolCalls ?? true);
        writer.WriteNull("previous_response_id");
        writer.WriteNull("reasoning");
        writer.WriteBoolean("store", false);
        writer.WriteBoolean("background", false);
        WriteNullable(writer, "temperature", request.Temperature);
        writer.WriteStartObject("text");
        WriteFormat(writer, request.Format);
        writer.WriteEndObject();
        WriteToolChoice(writer, request.ToolChoice);
        writer.WriteStartArray("tools");
        foreach (var tool in request.Tools)
        {
            WriteTool(writer, tool);
        }

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
            case FunctionCallItem call:
                writer.WriteStartObject();
                writer.WriteString("id", call.Id);
                writer.WriteString("type", "function_call");
                writer.WriteString("status", call.Status);
                writer.WriteString("call_id", call.CallId);
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", call.Arguments);
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

    private static void WriteFormat(Utf8JsonWriter writer, CallerFormat? format)
    {
        writer.WriteStartObject("format");
        if (format is null)
        {
            writer.WriteString("type", "text");
        }
        else if (!format.HasSchema)
        {
            writer.WriteString("type", "json_object");
        }
        else
        {
            writer.WriteString("type", "json_schema");
            writer.WriteString("name", format.Name);
            writer.WritePropertyName("schema");
            writer.WriteRawValue(format.SchemaText!);
            if (format.Description is { } description)
            {
                writer.WriteString("description", description);
            }

            if (format.Strict is { } strict)
            {
                writer.WriteBoolean("strict", strict);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ToolChoice? choice)
    {
        if (choice is { Mode: ToolChoice.FunctionMode, FunctionName: { } name })
        {
            writer.WriteStartObject("tool_choice");
            writer.WriteString("type", "function");
            writer.WriteString("name", name);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteString("tool_choice", choice?.Mode ?? ToolChoice.AutoMode);
        }
    }

    private static void WriteTool(Utf8JsonWriter writer, ToolDefinition tool)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "function");
        writer.WriteString("name", tool.Name);
        WriteNullable(writer, "description", tool.Description);
        writer.WritePropertyName("parameters");
        if (tool.ParametersJson is { } parameters)
        {
            writer.WriteRawValue(parameters);
        }
        else
        {
            writer.WriteNullValue();
        }

        if (tool.Strict is { } strict)
        {
            writer.WriteBoolean("strict", strict);
        }
        else
        {
            writer.WriteNull("strict");
        }

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
