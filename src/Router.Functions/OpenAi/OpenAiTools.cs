using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Router.Core.Catalog;
using Router.Core.Routing;
using Router.Functions.Http;

namespace Router.Functions.OpenAi;

/// <summary>
/// Reads function tools, the tool choice and the caller's JSON format for both OpenAI APIs into the
/// API-neutral <see cref="ToolDefinition"/>, <see cref="ToolChoice"/> and <see cref="CallerFormat"/>.
/// The APIs say the same things in two shapes: chat nests them (<c>{"type":"function","function":{name,...}}</c>,
/// <c>{"type":"json_schema","json_schema":{name, schema,...}}</c>), Responses keeps them flat
/// (<c>{"type":"function","name",...}</c>, <c>text.format: {"type":"json_schema","name","schema",...}</c>).
/// One reader per idea, so a tool or a schema the router takes on one API it takes on the other.
/// </summary>
public static partial class OpenAiTools
{
    public const int MaxTools = 128;

    /// <summary>
    /// <c>tools</c>: function tools only (built-in tools are refused, naming <c>tools[i].type</c>); a strict
    /// tool's <c>parameters</c> must be a schema JsonSchema.Net can read; names are unique.
    /// </summary>
    /// <param name="nested">Chat's shape (the function under <c>function</c>); false for Responses' flat shape.</param>
    public static (IReadOnlyList<ToolDefinition>? Tools, RequestError? Error) ReadTools(JsonElement root, bool nested)
    {
        if (!OpenAiParameters.Present(root, "tools", out var tools))
        {
            return ([], null);
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            return Fail<IReadOnlyList<ToolDefinition>>($"'tools' must be an array (got {OpenAiParameters.Kind(tools)}).", "tools");
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
                return Fail<IReadOnlyList<ToolDefinition>>($"Unsupported parameter: '{at}.type' is '{type}': built-in and custom tools run on OpenAI's side and need state; the router has none (function tools are supported).", at + ".type", "unsupported_parameter");
            }

            var (definition, error) = nested ? NestedFunction(tool, at) : Function(tool, at, flat: true);
            if (error is not null)
            {
                return (null, error);
            }

            if (list.Exists(t => t.Name == definition!.Name))
            {
                return Fail<IReadOnlyList<ToolDefinition>>($"'{at}': the function '{definition!.Name}' is defined twice.", nested ? at + ".function.name" : at + ".name");
            }

            list.Add(definition!);
        }

        return (list, null);
    }

    /// <summary>
    /// <c>tool_choice</c>: <c>none</c>, <c>auto</c>, <c>required</c> (with tools), or one function named among the tools
    /// (chat: <c>{"type":"function","function":{"name"}}</c>; Responses: <c>{"type":"function","name"}</c>).
    /// </summary>
    public static (ToolChoice? Choice, RequestError? Error) ReadToolChoice(JsonElement root, IReadOnlyList<ToolDefinition> tools, bool nested)
    {
        ArgumentNullException.ThrowIfNull(tools);
        if (!OpenAiParameters.Present(root, "tool_choice", out var choice))
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

            var holder = nested && choice.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object ? function : choice;
            var param = nested ? "tool_choice.function.name" : "tool_choice.name";
            var name = holder.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return name is not null && tools.Any(t => t.Name == name)
                ? (ToolChoice.Function(name), null)
                : Fail<ToolChoice>($"'{param}' must name one of the function tools (got '{name}').", param);
        }

        return Fail<ToolChoice>($"'tool_choice' must be a string or a function choice object (got {OpenAiParameters.Kind(choice)}).", "tool_choice");
    }

    /// <summary>
    /// A JSON output format at <paramref name="at"/> (chat's <c>response_format</c>, Responses' <c>text.format</c>):
    /// <c>text</c> (null), <c>json_object</c>, or <c>json_schema</c> with a schema JsonSchema.Net can read (else a 400 naming it).
    /// </summary>
    public static (CallerFormat? Format, RequestError? Error) ReadFormat(JsonElement format, string at, bool nested)
    {
        var type = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "text":
                return (null, null);
            case "json_object":
                return (CallerFormat.JsonObject, null);
            case "json_schema":
                var schemaAt = nested ? at + ".json_schema" : at;
                var holder = format;
                if (nested && (!format.TryGetProperty("json_schema", out holder) || holder.ValueKind != JsonValueKind.Object))
                {
                    return Fail<CallerFormat>($"'{schemaAt}' is required: an object with 'name' and 'schema'.", schemaAt, "missing_required_parameter");
                }

                var name = holder.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                if (name is null || !FunctionName.IsMatch(name))
                {
                    return Fail<CallerFormat>($"'{schemaAt}.name' is required: 1 to 64 letters, digits, '_' or '-'.", schemaAt + ".name", name is null ? "missing_required_parameter" : "invalid_value");
                }

                if (!holder.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    return Fail<CallerFormat>($"'{schemaAt}.schema' is required and must be a JSON Schema object.", schemaAt + ".schema", "missing_required_parameter");
                }

                var description = holder.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                bool? strict = holder.TryGetProperty("strict", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False ? s.GetBoolean() : null;
                var (built, error) = CallerFormat.Schema(name, schema.GetRawText(), description, strict);
                return error is null ? (built, null) : Fail<CallerFormat>($"'{schemaAt}.schema': {error}", schemaAt + ".schema");
            default:
                return Fail<CallerFormat>($"Unsupported parameter: '{at}.type' is '{type}'; supported are text, json_object and json_schema.", at + ".type", "unsupported_parameter");
        }
    }

    /// <summary>
    /// A JSON format on a task that answers with one of its labels can never be kept (a label is not a JSON object):
    /// refused, naming the parameter, rather than escalating every answer.
    /// </summary>
    public static RequestError? CheckFormat(CatalogTask task, CallerFormat? format, string param)
    {
        ArgumentNullException.ThrowIfNull(task);
        return format is not null && task.Output.Labels.Count > 0
            ? new RequestError(StatusCodes.Status400BadRequest, $"Unsupported parameter: '{param}': task '{task.Name}' answers with one of its labels ({string.Join(", ", task.Output.Labels)}), never JSON; send no format.", param, "unsupported_parameter")
            : null;
    }

    /// <summary>Chat's <c>{"type":"function","function":{...}}</c>.</summary>
    private static (ToolDefinition? Tool, RequestError? Error) NestedFunction(JsonElement tool, string at)
    {
        JsonElement function = default;
        foreach (var property in tool.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type":
                    break;
                case "function" when property.Value.ValueKind == JsonValueKind.Object:
                    function = property.Value;
                    break;
                case "function":
                    return Fail<ToolDefinition>($"'{at}.function' must be an object (got {OpenAiParameters.Kind(property.Value)}).", at + ".function");
                default:
                    return Fail<ToolDefinition>($"Unsupported parameter: '{at}.{property.Name}'; a function tool has type and function.", $"{at}.{property.Name}", "unsupported_parameter");
            }
        }

        return function.ValueKind == JsonValueKind.Object
            ? Function(function, at + ".function", flat: false)
            : Fail<ToolDefinition>($"'{at}.function' is required.", at + ".function", "missing_required_parameter");
    }

    /// <summary>A function's name, description, parameters and strict, at <paramref name="at"/>; <paramref name="flat"/>: its <c>type</c> sits beside them.</summary>
    private static (ToolDefinition? Tool, RequestError? Error) Function(JsonElement function, string at, bool flat)
    {
        string? name = null;
        string? description = null;
        string? parameters = null;
        bool? strict = null;
        foreach (var property in function.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "type" when flat:
                    break;
                case "name" when value.ValueKind == JsonValueKind.String && FunctionName.IsMatch(value.GetString()!):
                    name = value.GetString();
                    break;
                case "name":
                    return Fail<ToolDefinition>($"'{at}.name' must be 1 to 64 letters, digits, '_' or '-'.", at + ".name");
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
                    return Fail<ToolDefinition>($"'{at}.{property.Name}' has the wrong type (got {OpenAiParameters.Kind(value)}).", $"{at}.{property.Name}");
                default:
                    return Fail<ToolDefinition>($"Unsupported parameter: '{at}.{property.Name}'; a function {(flat ? "tool has type, " : "has ")}name, description, parameters and strict.", $"{at}.{property.Name}", "unsupported_parameter");
            }
        }

        if (name is null)
        {
            return Fail<ToolDefinition>($"'{at}.name' is required.", at + ".name", "missing_required_parameter");
        }

        // A strict tool's parameters are a schema the model is held to: one JsonSchema.Net cannot read is the caller's 400, never an upstream error.
        if (parameters is not null && strict == true && CallerFormat.Schema(name, parameters, null, true).Error is { } schemaError)
        {
            return Fail<ToolDefinition>($"'{at}.parameters': {schemaError}", at + ".parameters");
        }

        return (new ToolDefinition(name, description, parameters, strict), null);
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex FunctionNameRegex();

    internal static Regex FunctionName => FunctionNameRegex();

    private static (T?, RequestError?) Fail<T>(string message, string param, string code = "invalid_value")
        where T : class =>
        (null, new RequestError(StatusCodes.Status400BadRequest, message, param, code));
}
