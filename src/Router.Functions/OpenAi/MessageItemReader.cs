using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Router.Core.Models;
using Router.Core.Routing;
using Router.Functions.Http;

namespace Router.Functions.OpenAi;

/// <summary>
/// The one reader of a caller's message, for both OpenAI APIs (a chat-completions <c>messages[i]</c>
/// and a Responses message item <c>input[i]</c>): the role, the content (a string, or parts joined
/// with a newline), the tool fields chat messages carry (an assistant's <c>tool_calls</c>, a tool
/// message's <c>tool_call_id</c>), and every unknown property refused, named by its path. What
/// differs between the APIs (roles, part types, fields to ignore) is the <see cref="MessageDialect"/>.
/// </summary>
public static class MessageItemReader
{
    public const int MaxToolCalls = 128;

    public static (CallerMessage? Message, RequestError? Error) Read(JsonElement message, string at, MessageDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        if (message.ValueKind != JsonValueKind.Object)
        {
            return Fail<CallerMessage>($"'{at}' must be {dialect.Noun} object with 'role' and 'content' (got {OpenAiParameters.Kind(message)}).", at);
        }

        string? role = null;
        JsonElement content = default;
        JsonElement toolCalls = default;
        string? toolCallId = null;
        foreach (var property in message.EnumerateObject())
        {
            var value = property.Value;
            var path = $"{at}.{property.Name}";
            switch (property.Name)
            {
                case "role" when value.ValueKind == JsonValueKind.String:
                    role = value.GetString();
                    break;
                case "role":
                    return Fail<CallerMessage>($"'{path}' must be a string (got {OpenAiParameters.Kind(value)}).", path);
                case "content":
                    content = value;
                    break;
                case "tool_calls" when dialect.ToolFields:
                    toolCalls = value;
                    break;
                case "tool_call_id" when dialect.ToolFields && value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    toolCallId = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    break;
                case var name when dialect.Ignored.Contains(name):
                    // Labels a client may send (a name, or the id and status of an output item it got back): nothing to do with them.
                    if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        return Fail<CallerMessage>($"'{path}' must be a string (got {OpenAiParameters.Kind(value)}).", path);
                    }

                    break;
                case var name when dialect.Refused.Contains(name):
                    if (value.ValueKind != JsonValueKind.Null)
                    {
                        return Fail<CallerMessage>($"Unsupported parameter: '{path}' is not supported by this router (deprecated functions and audio are not carried).", path, "unsupported_parameter");
                    }

                    break;
                default:
                    return Fail<CallerMessage>($"Unknown property '{path}'; {dialect.Noun} has {dialect.Fields}.", path);
            }
        }

        if (role is null)
        {
            return Fail<CallerMessage>($"'{at}.role' is required.", at + ".role", "missing_required_parameter");
        }

        if (!dialect.Roles.Contains(role))
        {
            return Fail<CallerMessage>($"'{at}.role' is '{role}'; supported roles are {string.Join(", ", dialect.Roles)}.", at + ".role", role is "tool" or "function" ? "unsupported_parameter" : "invalid_value");
        }

        var (calls, callsError) = ToolCalls(toolCalls, role, at + ".tool_calls");
        if (callsError is not null)
        {
            return (null, callsError);
        }

        if (role == "tool" && string.IsNullOrEmpty(toolCallId))
        {
            return Fail<CallerMessage>($"'{at}.tool_call_id' is required on a tool message: it names the call this is the result of.", at + ".tool_call_id", "missing_required_parameter");
        }

        if (role != "tool" && toolCallId is not null)
        {
            return Fail<CallerMessage>($"'{at}.tool_call_id' belongs on a tool message only.", at + ".tool_call_id");
        }

        // An assistant turn that only called tools has no content.
        if (content.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return calls.Count > 0
                ? (new CallerMessage(role, string.Empty) { ToolCalls = calls }, null)
                : Fail<CallerMessage>($"'{at}.content' is required and must be a string or an array of {dialect.PartsText}.", at + ".content", "missing_required_parameter");
        }

        var (text, error) = Content(content, role, at + ".content", dialect);
        return error is not null ? (null, error) : (new CallerMessage(role, text!) { ToolCalls = calls, ToolCallId = toolCallId }, null);
    }

    /// <summary>A string, or content parts of the dialect's types joined with a newline (so two parts never run into one word).</summary>
    public static (string? Text, RequestError? Error) Content(JsonElement content, string role, string at, MessageDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        if (content.ValueKind == JsonValueKind.String)
        {
            return (content.GetString(), null);
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return Fail<string>($"'{at}' must be a string or an array of {dialect.PartsText} (got {OpenAiParameters.Kind(content)}).", at);
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

            var kind = type.GetString()!;
            if (dialect.Part(role, kind) is not var (field, allowed))
            {
                return Fail<string>($"Unsupported parameter: '{partAt}.type' is '{kind}'; {role} content supports {dialect.PartsFor(role)} (every task is a text task).", partAt + ".type", "unsupported_parameter");
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

            if (index > 1)
            {
                text.Append('\n');
            }

            text.Append(value.GetString());
        }

        return (text.ToString(), null);
    }

    /// <summary>The index of the first tool message whose tool_call_id no earlier assistant message called (the model's API refuses it), else null.</summary>
    public static int? UnansweredToolMessage(IReadOnlyList<CallerMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var called = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            foreach (var call in messages[i].ToolCalls)
            {
                called.Add(call.Id);
            }

            if (messages[i].Role == "tool" && !called.Contains(messages[i].ToolCallId!))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>A chat assistant's <c>tool_calls</c>: <c>[{"id", "type": "function", "function": {"name", "arguments"}}]</c>.</summary>
    private static (IReadOnlyList<ToolCall> Calls, RequestError? Error) ToolCalls(JsonElement toolCalls, string role, string at)
    {
        if (toolCalls.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return ([], null);
        }

        if (role != "assistant")
        {
            return ([], new RequestError(StatusCodes.Status400BadRequest, $"'{at}' belongs on an assistant message only.", at, "invalid_value"));
        }

        if (toolCalls.ValueKind != JsonValueKind.Array || toolCalls.GetArrayLength() > MaxToolCalls)
        {
            return ([], new RequestError(StatusCodes.Status400BadRequest, $"'{at}' must be an array of at most {MaxToolCalls} tool calls.", at, "invalid_value"));
        }

        var calls = new List<ToolCall>();
        var index = 0;
        foreach (var call in toolCalls.EnumerateArray())
        {
            var callAt = $"{at}[{index++}]";
            string? id = null, type = null, name = null, arguments = null;
            if (call.ValueKind != JsonValueKind.Object)
            {
                return ([], new RequestError(StatusCodes.Status400BadRequest, $"'{callAt}' must be a tool call object.", callAt, "invalid_value"));
            }

            foreach (var property in call.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "id" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Length > 0:
                        id = property.Value.GetString();
                        break;
                    case "type" when property.Value.ValueKind == JsonValueKind.String:
                        type = property.Value.GetString();
                        break;
                    case "function" when property.Value.ValueKind == JsonValueKind.Object:
                        foreach (var field in property.Value.EnumerateObject())
                        {
                            switch (field.Name)
                            {
                                case "name" when field.Value.ValueKind == JsonValueKind.String && field.Value.GetString()!.Length > 0:
                                    name = field.Value.GetString();
                                    break;
                                case "arguments" when field.Value.ValueKind == JsonValueKind.String:
                                    arguments = field.Value.GetString();
                                    break;
                                default:
                                    return ([], new RequestError(StatusCodes.Status400BadRequest, $"'{callAt}.function.{field.Name}': a function call has a non-empty string 'name' and a string 'arguments'.", $"{callAt}.function.{field.Name}", "invalid_value"));
                            }
                        }

                        break;
                    case "index":
                        // Present when a client replays a streamed call it assembled from its deltas.
                        break;
                    default:
                        return ([], new RequestError(StatusCodes.Status400BadRequest, $"'{callAt}.{property.Name}': a tool call has a non-empty string 'id', 'type': 'function' and a 'function' object.", $"{callAt}.{property.Name}", "invalid_value"));
                }
            }

            if (type != "function")
            {
                return ([], new RequestError(StatusCodes.Status400BadRequest, $"'{callAt}.type' must be 'function' (got '{type}').", callAt + ".type", type is null ? "missing_required_parameter" : "unsupported_parameter"));
            }

            foreach (var (field, value) in (ReadOnlySpan<(string, string?)>)[("id", id), ("function.name", name), ("function.arguments", arguments)])
            {
                if (value is null)
                {
                    return ([], new RequestError(StatusCodes.Status400BadRequest, $"'{callAt}.{field}' is required.", $"{callAt}.{field}", "missing_required_parameter"));
                }
            }

            calls.Add(new ToolCall(id!, name!, arguments!));
        }

        return (calls, null);
    }

    private static (T?, RequestError?) Fail<T>(string message, string param, string code = "invalid_value")
        where T : class =>
        (null, new RequestError(StatusCodes.Status400BadRequest, message, param, code));
}
