using System.Text.Json;

namespace Router.Emulator.Wire;

/// <summary>
/// Reads <c>tools</c>, <c>tool_choice</c>, <c>response_format.json_schema</c>, <c>stop</c> and
/// <c>seed</c> from a chat completions body, answering a 400 message naming the parameter when
/// one has the wrong shape, as the real service does.
/// </summary>
public static class GenerationControlsParser
{
    public const int MaxStopSequences = 4;

    public static bool TryParse(JsonElement root, JsonElement messages, out GenerationControls controls, out string? error, out string? errorParam)
    {
        controls = GenerationControls.None;
        if (!TryReadTools(root, out var tools, out error, out errorParam)
            || !TryReadToolChoice(root, tools, out var choice, out error, out errorParam)
            || !TryReadSchema(root, out var schema, out error, out errorParam)
            || !TryReadStop(root, out var stop, out error, out errorParam)
            || !TryReadSeed(root, out var seed, out error, out errorParam))
        {
            return false;
        }

        var replayed = ReplayedToolCalls(messages);
        if (tools.Count == 0 && schema is null && stop.Count == 0 && seed is null && replayed.Count == 0)
        {
            return true;
        }

        controls = new GenerationControls
        {
            Tools = tools,
            ToolChoice = choice,
            ReplayedToolCalls = replayed,
            JsonSchema = schema,
            Stop = stop,
            Seed = seed,
        };
        return true;
    }

    private static bool TryReadTools(JsonElement root, out IReadOnlyList<ChatTool> tools, out string? error, out string? errorParam)
    {
        tools = [];
        error = null;
        errorParam = null;
        if (!root.TryGetProperty("tools", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return Fail("'tools' must be an array of function tools.", "tools", out error, out errorParam);
        }

        var list = new List<ChatTool>(element.GetArrayLength());
        var index = 0;
        foreach (var tool in element.EnumerateArray())
        {
            var at = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object
                || !tool.TryGetProperty("type", out var type) || !type.ValueEquals("function")
                || !tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object
                || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(name.GetString()))
            {
                return Fail($"'{at}' must be {{\"type\":\"function\",\"function\":{{\"name\":...}}}}.", at, out error, out errorParam);
            }

            JsonElement? parameters = function.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object ? p.Clone() : null;
            list.Add(new ChatTool(name.GetString()!, parameters));
        }

        tools = list;
        return true;
    }

    private static bool TryReadToolChoice(JsonElement root, IReadOnlyList<ChatTool> tools, out ToolChoice choice, out string? error, out string? errorParam)
    {
        choice = ToolChoice.Auto;
        error = null;
        errorParam = null;
        if (!root.TryGetProperty("tool_choice", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            switch (element.GetString())
            {
                case "auto":
                    return true;
                case "none":
                    choice = new ToolChoice(ToolChoiceMode.None, null);
                    return true;
                case "required":
                    choice = new ToolChoice(ToolChoiceMode.Required, null);
                    return tools.Count > 0 || Fail("'tool_choice' is 'required' but no tools were given.", "tool_choice", out error, out errorParam);
                default:
                    return Fail("'tool_choice' must be none, auto, required or a named function.", "tool_choice", out error, out errorParam);
            }
        }

        if (element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
            && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            var named = name.GetString()!;
            if (!tools.Any(t => t.Name.Equals(named, StringComparison.Ordinal)))
            {
                return Fail($"'tool_choice' names function '{named}', which is not among the tools.", "tool_choice", out error, out errorParam);
            }

            choice = new ToolChoice(ToolChoiceMode.Required, named);
            return true;
        }

        return Fail("'tool_choice' must be none, auto, required or a named function.", "tool_choice", out error, out errorParam);
    }

    private static bool TryReadSchema(JsonElement root, out JsonElement? schema, out string? error, out string? errorParam)
    {
        schema = null;
        error = null;
        errorParam = null;
        if (!root.TryGetProperty("response_format", out var format) || format.ValueKind != JsonValueKind.Object
            || !format.TryGetProperty("type", out var type) || !type.ValueEquals("json_schema"))
        {
            return true;
        }

        if (!format.TryGetProperty("json_schema", out var jsonSchema) || jsonSchema.ValueKind != JsonValueKind.Object)
        {
            return Fail("'response_format.json_schema' is required when the type is json_schema.", "response_format.json_schema", out error, out errorParam);
        }

        if (jsonSchema.TryGetProperty("schema", out var body))
        {
            if (body.ValueKind != JsonValueKind.Object)
            {
                return Fail("'response_format.json_schema.schema' must be an object.", "response_format.json_schema.schema", out error, out errorParam);
            }

            schema = body.Clone();
        }
        else
        {
            // A schema-less json_schema format accepts any JSON: the empty schema says so.
            using var empty = JsonDocument.Parse("{}");
            schema = empty.RootElement.Clone();
        }

        return true;
    }

    private static bool TryReadStop(JsonElement root, out IReadOnlyList<string> stop, out string? error, out string? errorParam)
    {
        stop = [];
        error = null;
        errorParam = null;
        if (!root.TryGetProperty("stop", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            var single = element.GetString()!;
            stop = single.Length == 0 ? [] : [single];
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() > MaxStopSequences)
        {
            return Fail($"'stop' must be a string or an array of at most {MaxStopSequences} strings.", "stop", out error, out errorParam);
        }

        var list = new List<string>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return Fail($"'stop' must be a string or an array of at most {MaxStopSequences} strings.", "stop", out error, out errorParam);
            }

            if (item.GetString() is { Length: > 0 } sequence)
            {
                list.Add(sequence);
            }
        }

        stop = list;
        return true;
    }

    private static bool TryReadSeed(JsonElement root, out long? seed, out string? error, out string? errorParam)
    {
        seed = null;
        error = null;
        errorParam = null;
        if (!root.TryGetProperty("seed", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
        {
            return Fail("'seed' must be an integer.", "seed", out error, out errorParam);
        }

        seed = value;
        return true;
    }

    private static List<AssistantToolCall> ReplayedToolCalls(JsonElement messages)
    {
        var calls = new List<AssistantToolCall>();
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("tool_calls", out var toolCalls) || toolCalls.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var call in toolCalls.EnumerateArray())
            {
                if (call.ValueKind == JsonValueKind.Object
                    && call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
                {
                    var name = function.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : string.Empty;
                    var arguments = function.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : string.Empty;
                    calls.Add(new AssistantToolCall(name, arguments));
                }
            }
        }

        return calls;
    }

    private static bool Fail(string message, string param, out string? error, out string? errorParam)
    {
        error = message;
        errorParam = param;
        return false;
    }
}
