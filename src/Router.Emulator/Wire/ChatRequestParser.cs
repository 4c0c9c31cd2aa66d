using System.Text;
using System.Text.Json;

namespace Router.Emulator.Wire;

/// <summary>
/// Reads a chat completions body from a parsed document. Errors come back as messages for a 400
/// envelope rather than exceptions, because bad input is an expected case here.
/// </summary>
public static class ChatRequestParser
{
    public static bool TryParse(
        JsonElement root,
        string? deploymentFromRoute,
        out ChatRequest? request,
        out string? error,
        out string? errorParam)
    {
        request = null;
        errorParam = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "The request body must be a JSON object.";
            return false;
        }

        var deployment = deploymentFromRoute;
        if (deployment is null)
        {
            if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(model.GetString()))
            {
                error = "you must provide a model parameter";
                errorParam = "model";
                return false;
            }

            deployment = model.GetString()!;
        }

        if (!root.TryGetProperty("messages", out var messagesElement) || messagesElement.ValueKind != JsonValueKind.Array
            || messagesElement.GetArrayLength() == 0)
        {
            error = "'messages' must be a non-empty array.";
            errorParam = "messages";
            return false;
        }

        var messages = new List<ChatMessageText>(messagesElement.GetArrayLength());
        foreach (var message in messagesElement.EnumerateArray())
        {
            if (!TryReadMessage(message, out var text))
            {
                error = "Each message must be an object with a string 'role' and string or text-part 'content'.";
                errorParam = "messages";
                return false;
            }

            messages.Add(text!);
        }

        if (!TryReadMaxTokens(root, out var maxTokens, out errorParam))
        {
            error = $"'{errorParam}' must be a positive integer.";
            return false;
        }

        if (!GenerationControlsParser.TryParse(root, messagesElement, out var controls, out error, out errorParam))
        {
            return false;
        }

        var stream = root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
        var includeUsage = root.TryGetProperty("stream_options", out var streamOptions)
            && streamOptions.ValueKind == JsonValueKind.Object
            && streamOptions.TryGetProperty("include_usage", out var includeUsageElement)
            && includeUsageElement.ValueKind == JsonValueKind.True;

        request = new ChatRequest
        {
            Deployment = deployment,
            Messages = messages,
            RawMessages = messagesElement.Clone(),
            Stream = stream,
            IncludeUsageInStream = includeUsage,
            MaxOutputTokens = maxTokens,
            JsonResponseFormat = WantsJson(root),
            Controls = controls,
            RawParameters = ParametersOf(root),
        };
        error = null;
        return true;
    }

    private static bool TryReadMessage(JsonElement message, out ChatMessageText? text)
    {
        text = null;
        if (message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        string? name = null;
        if (message.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String)
        {
            name = nameElement.GetString();
        }

        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            // Assistant messages that only carry tool calls have no content.
            text = new ChatMessageText(role.GetString()!, string.Empty, name);
            return true;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            text = new ChatMessageText(role.GetString()!, content.GetString()!, name);
            return true;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        // Only text parts carry tokens the emulator can count; image parts are ignored.
        StringBuilder? joined = null;
        string? single = null;
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (part.TryGetProperty("type", out var type) && type.ValueEquals("text")
                && part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
            {
                var value = partText.GetString()!;
                if (single is null && joined is null)
                {
                    single = value;
                }
                else
                {
                    joined ??= new StringBuilder(single);
                    joined.Append(value);
                }
            }
        }

        text = new ChatMessageText(role.GetString()!, joined?.ToString() ?? single ?? string.Empty, name);
        return true;
    }

    private static bool TryReadMaxTokens(JsonElement root, out int? maxTokens, out string? badParam)
    {
        maxTokens = null;
        badParam = null;
        foreach (var name in (ReadOnlySpan<string>)["max_completion_tokens", "max_tokens"])
        {
            if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value) || value < 1)
            {
                badParam = name;
                return false;
            }

            maxTokens = value;
            return true;
        }

        return true;
    }

    private static JsonElement ParametersOf(JsonElement root)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (!property.NameEquals("messages"))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static bool WantsJson(JsonElement root) =>
        root.TryGetProperty("response_format", out var format)
        && format.ValueKind == JsonValueKind.Object
        && format.TryGetProperty("type", out var type)
        && (type.ValueEquals("json_object") || type.ValueEquals("json_schema"));
}
