using System.Text.Json;
using Router.Core.Models;
using Microsoft.AspNetCore.Http;
using Router.Core.Routing;
using Router.Functions.Http;

namespace Router.Functions.OpenAi;

/// <summary>
/// Strict parsing of an OpenAI Responses body (<c>POST /v1/responses</c>) into the caller's
/// messages. The router keeps no state, so what needs it (<c>previous_response_id</c>,
/// <c>conversation</c>, <c>store: true</c>, <c>background</c>, stored prompts, item references)
/// and what it cannot run (built-in tools such as web search) are refused with the parameter
/// named; parameters that change nothing for a stateless call (<c>store: false</c>, <c>user</c>,
/// <c>service_tier</c>, ...) are accepted. <c>instructions</c> becomes a caller system message
/// ahead of the input: caller input, after the task's own prompt plan. Function tools,
/// function_call / function_call_output items and <c>text.format</c> become the API-neutral
/// parts of the <see cref="RouteRequest"/> (tools, tool calls on messages, the caller's format).
/// </summary>
public static class ResponsesRequestParser
{
    public const int MaxItems = ChatCompletionRequestParser.MaxMessages;

    private const string NoState = "the router keeps no conversation state; send the whole conversation in 'input' (and 'store': false)";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "model", "input", "instructions", "stream", "stream_options", "max_output_tokens", "temperature", "top_p", "metadata",
        "store", "background", "previous_response_id", "conversation", "prompt", "tools", "tool_choice", "parallel_tool_calls",
        "max_tool_calls", "text", "include", "reasoning", "truncation", "user", "safety_identifier", "prompt_cache_key",
        "service_tier", "top_logprobs", "prompt_cache_retention", "prompt_cache_options", "context_management", "moderation",
    };

    /// <summary>Accepted (type-checked, then ignored): they identify the caller or tune a service the router does not offer.</summary>
    private static readonly string[] IgnoredStrings = ["user", "safety_identifier", "prompt_cache_key"];

    /// <summary>Refused whenever set: each needs something the router does not do.</summary>
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["previous_response_id"] = NoState,
        ["conversation"] = NoState,
        ["prompt"] = "stored prompts need state the router does not keep; the task's prompt plan is the prompt",
        ["context_management"] = NoState,
        ["top_logprobs"] = "log probabilities are not returned by this router",
        ["prompt_cache_retention"] = "prompt caching is the deployment's; it is not configured per call",
        ["prompt_cache_options"] = "prompt caching is the deployment's; it is not configured per call",
        ["moderation"] = "moderation is not run by this router",
        ["reasoning"] = "reasoning options are not supported by this router",
    };

    public static (ResponsesRequest? Request, RequestError? Error) Parse(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                return Fail($"Unsupported parameter: '{property.Name}' is not supported by this router.", property.Name, "unsupported_parameter");
            }

            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (Unsupported.TryGetValue(property.Name, out var why))
            {
                return Fail($"Unsupported parameter: '{property.Name}': {why}.", property.Name, "unsupported_parameter");
            }
        }

        if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind == JsonValueKind.Null)
        {
            return Fail("'model' is required: name the task to run (see GET /api/v1/models).", "model", "missing_required_parameter");
        }

        if (modelElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(modelElement.GetString()))
        {
            return Fail($"'model' must be a non-empty string naming a task (got {Kind(modelElement)}).", "model");
        }

        if (Stateless(root) is { } stateful)
        {
            return (null, stateful);
        }

        string? instructions = null;
        if (Present(root, "instructions", out var instructionsElement))
        {
            if (instructionsElement.ValueKind != JsonValueKind.String)
            {
                return Fail($"'instructions' must be a string (got {Kind(instructionsElement)}).", "instructions");
            }

            instructions = instructionsElement.GetString();
        }

        if (!Present(root, "input", out var input))
        {
            return Fail("'input' is required: the text or the messages the task works on.", "input", "missing_required_parameter");
        }

        var messages = new List<CallerMessage>();
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            messages.Add(new CallerMessage("system", instructions));
        }

        if (ParseInput(input, messages) is { } inputError)
        {
            return (null, inputError);
        }

        if (!messages.Exists(m => m.Role == "user" && !string.IsNullOrWhiteSpace(m.Content)))
        {
            return Fail("'input' must contain a user message with non-empty text: it is the input the task works on.", "input");
        }

        // The model's API refuses a result for a call it never made; say so here rather than as an upstream failure.
        if (MessageItemReader.UnansweredToolMessage(messages) is { } orphan)
        {
            return Fail($"'input' holds a function_call_output whose call_id '{messages[orphan].ToolCallId}' names no earlier function_call item: send the call with its output.", "input");
        }

        var (stream, streamError) = Boolean(root, "stream");
        if (streamError is not null)
        {
            return (null, streamError);
        }

        if (StreamOptions(root, stream) is { } streamOptionsError)
        {
            return (null, streamOptionsError);
        }

        int? maxOutputTokens = null;
        if (Present(root, "max_output_tokens", out var max))
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var value) || value is < 1 or > 128_000)
            {
                return Fail("'max_output_tokens' must be an integer from 1 to 128000.", "max_output_tokens");
            }

            maxOutputTokens = value;
        }

        var (temperature, temperatureError) = Number(root, "temperature", 2);
        if (temperatureError is not null)
        {
            return (null, temperatureError);
        }

        var (topP, topPError) = Number(root, "top_p", 1);
        if (topPError is not null)
        {
            return (null, topPError);
        }

        var (metadata, metadataError) = OpenAiParameters.ReadMetadata(root);
        if (metadataError is not null)
        {
            return (null, metadataError);
        }

        if (Accepted(root) is { } acceptedError)
        {
            return (null, acceptedError);
        }

        var (tools, toolsError) = OpenAiTools.ReadTools(root, nested: false);
        if (toolsError is not null)
        {
            return (null, toolsError);
        }

        var (toolChoice, choiceError) = OpenAiTools.ReadToolChoice(root, tools!, nested: false);
        if (choiceError is not null)
        {
            return (null, choiceError);
        }

        var (format, formatError) = TextFormat(root);
        if (formatError is not null)
        {
            return (null, formatError);
        }

        var (parallel, parallelError) = Boolean(root, "parallel_tool_calls");
        if (parallelError is not null)
        {
            return (null, parallelError);
        }

        return (new ResponsesRequest(modelElement.GetString()!, messages, instructions, stream, maxOutputTokens, temperature, topP, metadata)
        {
            Tools = tools!,
            ToolChoice = toolChoice,
            ParallelToolCalls = Present(root, "parallel_tool_calls", out _) ? parallel : null,
            Format = format,
        }, null);
    }

    /// <summary>store and background are booleans the router honours only as false (no stored responses, no background runs).</summary>
    private static RequestError? Stateless(JsonElement root)
    {
        foreach (var name in (string[])["store", "background"])
        {
            var (value, error) = Boolean(root, name);
            if (error is not null)
            {
                return error;
            }

            if (value)
            {
                var why = name == "store" ? NoState : "background responses need state the router does not keep; call without it (or stream)";
                return Fail($"Unsupported parameter: '{name}': true is not supported: {why}.", name, "unsupported_parameter").Error;
            }
        }

        return null;
    }

    private static RequestError? ParseInput(JsonElement input, List<CallerMessage> messages)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                messages.Add(new CallerMessage("user", input.GetString()!));
                return null;
            case JsonValueKind.Array:
                var count = input.GetArrayLength();
                if (count == 0)
                {
                    return Fail("'input' must contain at least one item.", "input").Error;
                }

                if (count > MaxItems)
                {
                    return Fail($"'input' holds {count} items; at most {MaxItems} are accepted.", "input").Error;
                }

                var index = 0;
                foreach (var item in input.EnumerateArray())
                {
                    var (message, error) = ParseItem(item, $"input[{index++}]");
                    if (error is not null)
                    {
                        return error;
                    }

                    // Parallel calls arrive as consecutive function_call items; upstream they are one assistant turn.
                    if (message!.ToolCalls.Count > 0 && messages.Count > 0 && messages[^1] is { Role: "assistant", ToolCalls.Count: > 0 } previous)
                    {
                        messages[^1] = previous with { ToolCalls = [.. previous.ToolCalls, .. message.ToolCalls] };
                    }
                    else
                    {
                        messages.Add(message);
                    }
                }

                return null;
            default:
                return Fail($"'input' must be a string or an array of input items (got {Kind(input)}).", "input").Error;
        }
    }

    private static (CallerMessage? Message, RequestError? Error) ParseItem(JsonElement item, string at)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return Fail<CallerMessage>($"'{at}' must be an input item object (got {Kind(item)}).", at);
        }

        if (item.TryGetProperty("type", out var typeElement) && typeElement.ValueKind != JsonValueKind.Null)
        {
            if (typeElement.ValueKind != JsonValueKind.String)
            {
                return Fail<CallerMessage>($"'{at}.type' must be a string (got {Kind(typeElement)}).", at + ".type");
            }

            var type = typeElement.GetString();
            if (type == "item_reference")
            {
                return Fail<CallerMessage>($"Unsupported parameter: '{at}' is an item reference: {NoState}.", at, "unsupported_parameter");
            }

            switch (type)
            {
                case "function_call":
                    return FunctionCall(item, at);
                case "function_call_output":
                    return FunctionCallOutput(item, at);
                case not "message":
                    return Fail<CallerMessage>($"Unsupported parameter: '{at}.type' is '{type}'; input items of type message, function_call and function_call_output are supported.", at + ".type", "unsupported_parameter");
            }
        }

        return MessageItemReader.Read(item, at, MessageDialect.Responses);
    }

    /// <summary>A function call the model made earlier, sent back by the caller: an assistant turn with that tool call.</summary>
    private static (CallerMessage? Message, RequestError? Error) FunctionCall(JsonElement item, string at)
    {
        string? callId = null;
        string? name = null;
        string? arguments = null;
        foreach (var property in item.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type" or "id" or "status" or "namespace":
                    break;
                case "call_id" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Length > 0:
                    callId = property.Value.GetString();
                    break;
                case "name" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Length > 0:
                    name = property.Value.GetString();
                    break;
                case "arguments" when property.Value.ValueKind == JsonValueKind.String:
                    arguments = property.Value.GetString();
                    break;
                case "call_id" or "name" or "arguments":
                    return Fail<CallerMessage>($"'{at}.{property.Name}' must be a non-empty string (got {Kind(property.Value)}).", $"{at}.{property.Name}");
                default:
                    return Fail<CallerMessage>($"Unknown property '{at}.{property.Name}'; a function_call item has call_id, name and arguments.", $"{at}.{property.Name}");
            }
        }

        foreach (var (field, value) in (ReadOnlySpan<(string, string?)>)[("call_id", callId), ("name", name), ("arguments", arguments)])
        {
            if (value is null)
            {
                return Fail<CallerMessage>($"'{at}.{field}' is required.", $"{at}.{field}", "missing_required_parameter");
            }
        }

        return (new CallerMessage("assistant", string.Empty) { ToolCalls = [new ToolCall(callId!, name!, arguments!)] }, null);
    }

    /// <summary>The caller's result of a function call: a tool message answering that call.</summary>
    private static (CallerMessage? Message, RequestError? Error) FunctionCallOutput(JsonElement item, string at)
    {
        string? callId = null;
        string? output = null;
        foreach (var property in item.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type" or "id" or "status":
                    break;
                case "call_id" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Length > 0:
                    callId = property.Value.GetString();
                    break;
                case "call_id":
                    return Fail<CallerMessage>($"'{at}.call_id' must be a non-empty string (got {Kind(property.Value)}).", at + ".call_id");
                case "output":
                    var (text, error) = property.Value.ValueKind == JsonValueKind.String ? (property.Value.GetString(), null) : MessageItemReader.Content(property.Value, "tool", at + ".output", MessageDialect.Responses);
                    if (error is not null)
                    {
                        return (null, error);
                    }

                    output = text;
                    break;
                default:
                    return Fail<CallerMessage>($"Unknown property '{at}.{property.Name}'; a function_call_output item has call_id and output.", $"{at}.{property.Name}");
            }
        }

        if (callId is null)
        {
            return Fail<CallerMessage>($"'{at}.call_id' is required.", at + ".call_id", "missing_required_parameter");
        }

        return output is null
            ? Fail<CallerMessage>($"'{at}.output' is required.", at + ".output", "missing_required_parameter")
            : (new CallerMessage("tool", output) { ToolCallId = callId }, null);
    }

    private static RequestError? StreamOptions(JsonElement root, bool stream)
    {
        if (!Present(root, "stream_options", out var options))
        {
            return null;
        }

        if (!stream)
        {
            return Fail("'stream_options' is only allowed when 'stream' is true.", "stream_options").Error;
        }

        if (options.ValueKind != JsonValueKind.Object)
        {
            return Fail($"'stream_options' must be an object (got {Kind(options)}).", "stream_options").Error;
        }

        foreach (var option in options.EnumerateObject())
        {
            if (option.Name != "include_obfuscation")
            {
                return Fail($"Unsupported parameter: 'stream_options.{option.Name}' is not supported by this router.", "stream_options." + option.Name, "unsupported_parameter").Error;
            }

            // The router sends no obfuscation padding either way.
            if (option.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            {
                return Fail($"'stream_options.include_obfuscation' must be a boolean (got {Kind(option.Value)}).", "stream_options.include_obfuscation").Error;
            }
        }

        return null;
    }

    /// <summary>Parameters the router accepts in their harmless form and refuses otherwise, naming them.</summary>
    private static RequestError? Accepted(JsonElement root)
    {
        foreach (var name in IgnoredStrings)
        {
            if (Present(root, name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                return Fail($"'{name}' must be a string (got {Kind(value)}).", name).Error;
            }
        }

        if (Present(root, "service_tier", out var tier) && (tier.ValueKind != JsonValueKind.String || tier.GetString() is not ("auto" or "default")))
        {
            return Fail("Unsupported parameter: 'service_tier': only 'auto' and 'default' are supported; the deployment decides the tier.", "service_tier", "unsupported_parameter").Error;
        }

        if (Present(root, "truncation", out var truncation) && (truncation.ValueKind != JsonValueKind.String || truncation.GetString() != "disabled"))
        {
            return Fail("Unsupported parameter: 'truncation': only 'disabled' is supported; the router does not drop input.", "truncation", "unsupported_parameter").Error;
        }

        if (Present(root, "max_tool_calls", out var maxToolCalls) && (maxToolCalls.ValueKind != JsonValueKind.Number || !maxToolCalls.TryGetInt32(out var calls) || calls < 1))
        {
            return Fail("'max_tool_calls' must be a positive integer.", "max_tool_calls").Error;
        }

        if (Present(root, "include", out var include))
        {
            if (include.ValueKind != JsonValueKind.Array)
            {
                return Fail($"'include' must be an array (got {Kind(include)}).", "include").Error;
            }

            if (include.GetArrayLength() > 0)
            {
                return Fail("Unsupported parameter: 'include': the router returns no additional output data.", "include[0]", "unsupported_parameter").Error;
            }
        }

        return null;
    }

    /// <summary>Function tools (the Responses API's flat shape: type, name, description, parameters, strict); built-in tools are refused.</summary>
    /// <summary>text.format: text (null), json_object, or json_schema with a schema JsonSchema.Net can read (else a 400 naming it).</summary>
    private static (CallerFormat? Format, RequestError? Error) TextFormat(JsonElement root)
    {
        if (!Present(root, "text", out var text))
        {
            return (null, null);
        }

        if (text.ValueKind != JsonValueKind.Object)
        {
            return Fail<CallerFormat>($"'text' must be an object (got {Kind(text)}).", "text");
        }

        CallerFormat? result = null;
        foreach (var property in text.EnumerateObject())
        {
            switch (property.Name)
            {
                case "format" when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "format":
                    var (format, error) = OpenAiTools.ReadFormat(property.Value, "text.format", nested: false);
                    if (error is not null)
                    {
                        return (null, error);
                    }

                    result = format;
                    break;
                case "verbosity" when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                default:
                    return Fail<CallerFormat>($"Unsupported parameter: 'text.{property.Name}' is not supported by this router.", "text." + property.Name, "unsupported_parameter");
            }
        }

        return (result, null);
    }

    private static bool Present(JsonElement root, string name, out JsonElement value) =>
        root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static (bool Value, RequestError? Error) Boolean(JsonElement root, string name)
    {
        if (!Present(root, name, out var value))
        {
            return (false, null);
        }

        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? (value.GetBoolean(), null)
            : (false, Fail($"'{name}' must be a boolean (got {Kind(value)}).", name).Error);
    }

    private static (double? Value, RequestError? Error) Number(JsonElement root, string name, double maximum)
    {
        if (!Present(root, name, out var element))
        {
            return (null, null);
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || value < 0 || value > maximum)
        {
            return (null, Fail($"'{name}' must be a number from 0 to {maximum}.", name).Error);
        }

        return (value, null);
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Undefined => "nothing",
        _ => element.ValueKind.ToString().ToLowerInvariant(),
    };

    private static (T?, RequestError?) Fail<T>(string message, string param, string code = "invalid_value")
        where T : class =>
        (null, new RequestError(StatusCodes.Status400BadRequest, message, param, code));

    private static (ResponsesRequest? Request, RequestError? Error) Fail(string message, string param, string code = "invalid_value") =>
        Fail<ResponsesRequest>(message, param, code);
}
