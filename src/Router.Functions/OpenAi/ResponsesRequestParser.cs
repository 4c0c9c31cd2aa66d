using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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
public static partial class ResponsesRequestParser
{
    public const int MaxItems = ChatCompletionRequestParser.MaxMessages;
    public const int MaxMetadataPairs = 16;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;
    public const int MaxTools = 128;

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

    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal) { "system", "developer", "user", "assistant" };

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

        var (metadata, metadataError) = Metadata(root);
        if (metadataError is not null)
        {
            return (null, metadataError);
        }

        if (Accepted(root) is { } acceptedError)
        {
            return (null, acceptedError);
        }

        var (tools, toolsError) = Tools(root);
        if (toolsError is not null)
        {
            return (null, toolsError);
        }

        var (toolChoice, choiceError) = ToolChoiceOf(root, tools!);
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

        string? role = null;
        JsonElement? content = null;
        foreach (var property in item.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type":
                    break;
                case "role":
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return Fail<CallerMessage>($"'{at}.role' must be a string (got {Kind(property.Value)}).", at + ".role");
                    }

                    role = property.Value.GetString();
                    break;
                case "content":
                    content = property.Value;
                    break;
                case "id" or "status" or "phase":
                    // Present when a client sends back an output item it received; nothing to do with them.
                    if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        return Fail<CallerMessage>($"'{at}.{property.Name}' must be a string (got {Kind(property.Value)}).", $"{at}.{property.Name}");
                    }

                    break;
                default:
                    return Fail<CallerMessage>($"Unknown property '{at}.{property.Name}'; a message item has 'type', 'role' and 'content'.", $"{at}.{property.Name}");
            }
        }

        if (role is null)
        {
            return Fail<CallerMessage>($"'{at}.role' is required.", at + ".role", "missing_required_parameter");
        }

        if (!Roles.Contains(role))
        {
            return Fail<CallerMessage>($"'{at}.role' is '{role}'; supported roles are user, system, developer and assistant.", at + ".role");
        }

        if (content is not { } body || body.ValueKind == JsonValueKind.Null)
        {
            return Fail<CallerMessage>($"'{at}.content' is required.", at + ".content", "missing_required_parameter");
        }

        var (text, error) = ContentText(body, role, at + ".content");
        return error is not null ? (null, error) : (new CallerMessage(role, text!), null);
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
                    var (text, error) = property.Value.ValueKind == JsonValueKind.String ? (property.Value.GetString(), null) : ContentText(property.Value, "tool", at + ".output");
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

    /// <summary>A string, or text parts joined with a newline (input_text; an assistant's output_text or refusal when a client replays output).</summary>
    private static (string? Text, RequestError? Error) ContentText(JsonElement content, string role, string at)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return (content.GetString(), null);
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return Fail<string>($"'{at}' must be a string or an array of content parts (got {Kind(content)}).", at);
        }

        var text = new StringBuilder();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partAt = $"{at}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return Fail<string>($"'{partAt}' must be a content part object with a string 'type'.", partAt);
            }

            var kind = type.GetString();
            var (field, allowed) = (role, kind) switch
            {
                ("assistant", "output_text") => ("text", (string[])["type", "text", "annotations", "logprobs"]),
                ("assistant", "refusal") => ("refusal", ["type", "refusal"]),
                (not "assistant", "input_text") => ("text", ["type", "text"]),
                _ => (null, []),
            };
            if (field is null)
            {
                var expected = role == "assistant" ? "output_text and refusal parts" : "input_text parts";
                return Fail<string>($"Unsupported parameter: '{partAt}.type' is '{kind}'; {role} content supports {expected}.", partAt + ".type", "unsupported_parameter");
            }

            foreach (var property in part.EnumerateObject())
            {
                if (Array.IndexOf(allowed, property.Name) < 0)
                {
                    return Fail<string>($"Unknown property '{partAt}.{property.Name}' on a {kind} part.", $"{partAt}.{property.Name}");
                }
            }

            if (!part.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String)
            {
                return Fail<string>($"'{partAt}.{field}' must be a string.", $"{partAt}.{field}");
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(value.GetString());
        }

        return (text.ToString(), null);
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

    private static (IReadOnlyDictionary<string, string>? Metadata, RequestError? Error) Metadata(JsonElement root)
    {
        if (!Present(root, "metadata", out var metadata))
        {
            return (null, null);
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return Fail<IReadOnlyDictionary<string, string>>($"'metadata' must be an object of string pairs (got {Kind(metadata)}).", "metadata");
        }

        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in metadata.EnumerateObject())
        {
            if (pairs.Count == MaxMetadataPairs)
            {
                return Fail<IReadOnlyDictionary<string, string>>($"'metadata' holds more than {MaxMetadataPairs} pairs.", "metadata");
            }

            if (pair.Name.Length is 0 or > MaxMetadataKeyLength)
            {
                return Fail<IReadOnlyDictionary<string, string>>($"'metadata' keys must be 1 to {MaxMetadataKeyLength} characters.", "metadata");
            }

            if (pair.Value.ValueKind != JsonValueKind.String || pair.Value.GetString()!.Length > MaxMetadataValueLength)
            {
                return Fail<IReadOnlyDictionary<string, string>>($"'metadata.{pair.Name}' must be a string of at most {MaxMetadataValueLength} characters.", "metadata." + pair.Name);
            }

            pairs[pair.Name] = pair.Value.GetString()!;
        }

        return (pairs, null);
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
    private static (IReadOnlyList<ToolDefinition>? Tools, RequestError? Error) Tools(JsonElement root)
    {
        if (!Present(root, "tools", out var tools))
        {
            return ([], null);
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            return Fail<IReadOnlyList<ToolDefinition>>($"'tools' must be an array (got {Kind(tools)}).", "tools");
        }

        if (tools.GetArrayLength() > MaxTools)
        {
            return Fail<IReadOnlyList<ToolDefinition>>($"'tools' holds {tools.GetArrayLength()} tools; at most {MaxTools} are accepted.", "tools");
        }

        var list = new List<ToolDefinition>();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var at = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                return Fail<IReadOnlyList<ToolDefinition>>($"'{at}' must be a tool object with a string 'type'.", at);
            }

            var type = typeElement.GetString();
            if (type != "function")
            {
                return Fail<IReadOnlyList<ToolDefinition>>($"Unsupported parameter: '{at}.type' is '{type}': built-in tools run on OpenAI's side and need state; the router has none (function tools are supported).", at + ".type", "unsupported_parameter");
            }

            string? name = null;
            string? description = null;
            string? parameters = null;
            bool? strict = null;
            foreach (var property in tool.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "type":
                        break;
                    case "name" when value.ValueKind == JsonValueKind.String && FunctionName.IsMatch(value.GetString()!):
                        name = value.GetString();
                        break;
                    case "name":
                        return Fail<IReadOnlyList<ToolDefinition>>($"'{at}.name' must be 1 to 64 letters, digits, '_' or '-'.", at + ".name");
                    case "description" when value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                        description = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                        break;
                    case "parameters" when value.ValueKind is JsonValueKind.Object or JsonValueKind.Null:
                        parameters = value.ValueKind == JsonValueKind.Object ? value.GetRawText() : null;
                        break;
                    case "strict" when value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                        strict = value.ValueKind == JsonValueKind.Null ? null : value.GetBoolean();
                        break;
                    case "description" or "parameters" or "strict":
                        return Fail<IReadOnlyList<ToolDefinition>>($"'{at}.{property.Name}' has the wrong type (got {Kind(value)}).", $"{at}.{property.Name}");
                    default:
                        return Fail<IReadOnlyList<ToolDefinition>>($"Unsupported parameter: '{at}.{property.Name}'; a function tool has type, name, description, parameters and strict.", $"{at}.{property.Name}", "unsupported_parameter");
                }
            }

            if (name is null)
            {
                return Fail<IReadOnlyList<ToolDefinition>>($"'{at}.name' is required.", at + ".name", "missing_required_parameter");
            }

            if (parameters is not null && strict == true && CallerFormat.Schema(name, parameters, null, true).Error is { } schemaError)
            {
                return Fail<IReadOnlyList<ToolDefinition>>($"'{at}.parameters': {schemaError}", at + ".parameters");
            }

            if (list.Exists(t => t.Name == name))
            {
                return Fail<IReadOnlyList<ToolDefinition>>($"'{at}.name': the function '{name}' is defined twice.", at + ".name");
            }

            list.Add(new ToolDefinition(name, description, parameters, strict));
        }

        return (list, null);
    }

    /// <summary>"none", "auto", "required", or {"type":"function","name":...} naming one of the tools.</summary>
    private static (ToolChoice? Choice, RequestError? Error) ToolChoiceOf(JsonElement root, IReadOnlyList<ToolDefinition> tools)
    {
        if (!Present(root, "tool_choice", out var choice))
        {
            return (null, null);
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString() switch
            {
                "none" => (ToolChoice.None, null),
                "auto" => (ToolChoice.Auto, null),
                "required" when tools.Count > 0 => (ToolChoice.Required, null),
                "required" => Fail<ToolChoice>("'tool_choice' is 'required' but no function tools were given.", "tool_choice"),
                var other => Fail<ToolChoice>($"'tool_choice' is '{other}'; supported are none, auto, required or a function.", "tool_choice"),
            };
        }

        if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            if (type.GetString() != "function")
            {
                return Fail<ToolChoice>($"Unsupported parameter: 'tool_choice.type' is '{type.GetString()}'; only function tools are supported.", "tool_choice.type", "unsupported_parameter");
            }

            var name = choice.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return name is not null && tools.Any(t => t.Name == name)
                ? (ToolChoice.Function(name), null)
                : Fail<ToolChoice>($"'tool_choice.name' must name one of the function tools (got '{name}').", "tool_choice.name");
        }

        return Fail<ToolChoice>($"'tool_choice' must be a string or a function choice object (got {Kind(choice)}).", "tool_choice");
    }

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
                    var (format, error) = Format(property.Value);
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

    private static (CallerFormat? Format, RequestError? Error) Format(JsonElement format)
    {
        var type = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "text":
                return (null, null);
            case "json_object":
                return (CallerFormat.JsonObject, null);
            case "json_schema":
                var name = format.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                if (name is null || !FunctionName.IsMatch(name))
                {
                    return Fail<CallerFormat>("'text.format.name' is required: 1 to 64 letters, digits, '_' or '-'.", "text.format.name", name is null ? "missing_required_parameter" : "invalid_value");
                }

                if (!format.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    return Fail<CallerFormat>("'text.format.schema' is required and must be a JSON Schema object.", "text.format.schema", "missing_required_parameter");
                }

                var description = format.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                bool? strict = format.TryGetProperty("strict", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False ? s.GetBoolean() : null;
                var (built, error) = CallerFormat.Schema(name, schema.GetRawText(), description, strict);
                return error is null ? (built, null) : Fail<CallerFormat>($"'text.format.schema': {error}", "text.format.schema");
            default:
                return Fail<CallerFormat>($"Unsupported parameter: 'text.format.type' is '{type}'; supported are text, json_object and json_schema.", "text.format.type", "unsupported_parameter");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex FunctionNameRegex();

    private static Regex FunctionName => FunctionNameRegex();

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
