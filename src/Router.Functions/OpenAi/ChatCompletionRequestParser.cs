using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Router.Core.Routing;
using Router.Functions.Http;

namespace Router.Functions.OpenAi;

/// <summary>
/// Strict parsing of an OpenAI chat-completions body. Parameters a model honours as given
/// (top_p, stop, seed, ...) are read by <see cref="OpenAiParameters"/> and passed through;
/// parameters the router cannot honour (n &gt; 1, logprobs, audio, ...) are refused with the
/// parameter named rather than silently ignored: a client relying on them would otherwise
/// get wrong answers. The table in docs/openai-compat.md lists each, and a test checks it.
/// Caller system and developer messages are kept, in their place, after the task's own
/// system prompt: they are caller input, and the task's prompt comes first.
/// </summary>
public static class ChatCompletionRequestParser
{
    public const int MaxMessages = 1_000;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature", "n", "user",
        "top_p", "stop", "seed", "presence_penalty", "frequency_penalty", "logit_bias", "parallel_tool_calls", "reasoning_effort",
        "store", "logprobs", "top_logprobs",
    };

    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal) { "system", "developer", "user", "assistant" };

    public static (ChatCompletionRequest? Request, RequestError? Error) Parse(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                return Fail($"Unsupported parameter: '{property.Name}' is not supported by this router (supported: {string.Join(", ", Known.Order(StringComparer.Ordinal))}).", property.Name, "unsupported_parameter");
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

        if (!root.TryGetProperty("messages", out var messagesElement) || messagesElement.ValueKind == JsonValueKind.Null)
        {
            return Fail("'messages' is required.", "messages", "missing_required_parameter");
        }

        if (messagesElement.ValueKind != JsonValueKind.Array)
        {
            return Fail($"'messages' must be an array (got {Kind(messagesElement)}).", "messages");
        }

        var count = messagesElement.GetArrayLength();
        if (count == 0)
        {
            return Fail("'messages' must contain at least one message.", "messages");
        }

        if (count > MaxMessages)
        {
            return Fail($"'messages' holds {count} messages; at most {MaxMessages} are accepted.", "messages");
        }

        var messages = new List<CallerMessage>(count);
        var index = 0;
        foreach (var message in messagesElement.EnumerateArray())
        {
            var (parsed, error) = ParseMessage(message, index++);
            if (error is not null)
            {
                return (null, error);
            }

            messages.Add(parsed!);
        }

        if (!messages.Exists(m => m.Role == "user" && !string.IsNullOrWhiteSpace(m.Content)))
        {
            return Fail("'messages' must contain a user message with non-empty content: it is the input the task works on.", "messages");
        }

        var stream = false;
        if (root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind != JsonValueKind.Null)
        {
            if (streamElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Fail($"'stream' must be a boolean (got {Kind(streamElement)}).", "stream");
            }

            stream = streamElement.GetBoolean();
        }

        var includeUsage = false;
        if (root.TryGetProperty("stream_options", out var streamOptions) && streamOptions.ValueKind != JsonValueKind.Null)
        {
            if (!stream)
            {
                return Fail("'stream_options' is only allowed when 'stream' is true.", "stream_options");
            }

            if (streamOptions.ValueKind != JsonValueKind.Object)
            {
                return Fail($"'stream_options' must be an object (got {Kind(streamOptions)}).", "stream_options");
            }

            foreach (var option in streamOptions.EnumerateObject())
            {
                if (option.Name != "include_usage")
                {
                    return Fail($"Unsupported parameter: 'stream_options.{option.Name}' is not supported by this router.", "stream_options." + option.Name, "unsupported_parameter");
                }

                if (option.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
                {
                    return Fail($"'stream_options.include_usage' must be a boolean (got {Kind(option.Value)}).", "stream_options.include_usage");
                }

                includeUsage = option.Value.ValueKind == JsonValueKind.True;
            }
        }

        int? maxTokens = null;
        foreach (var name in (string[])["max_completion_tokens", "max_tokens"])
        {
            if (root.TryGetProperty(name, out var max) && max.ValueKind != JsonValueKind.Null)
            {
                if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var value) || value is < 1 or > 128_000)
                {
                    return Fail($"'{name}' must be an integer from 1 to 128000.", name);
                }

                maxTokens ??= value;
            }
        }

        double? temperature = null;
        if (root.TryGetProperty("temperature", out var temp) && temp.ValueKind != JsonValueKind.Null)
        {
            if (temp.ValueKind != JsonValueKind.Number || !temp.TryGetDouble(out var value) || value is < 0 or > 2)
            {
                return Fail("'temperature' must be a number from 0 to 2.", "temperature");
            }

            temperature = value;
        }

        if (root.TryGetProperty("n", out var n) && n.ValueKind != JsonValueKind.Null)
        {
            if (n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out var value) || value != 1)
            {
                return Fail("'n' must be 1: the router returns one choice per call.", "n", "unsupported_parameter");
            }
        }

        if (root.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.True)
        {
            return Fail("'logprobs' is not supported: no deployment in the router's catalog declares log probabilities.", "logprobs", "unsupported_parameter");
        }

        if (root.TryGetProperty("logprobs", out logprobs) && logprobs.ValueKind is not (JsonValueKind.False or JsonValueKind.Null))
        {
            return Fail($"'logprobs' must be a boolean (got {Kind(logprobs)}).", "logprobs");
        }

        if (OpenAiParameters.Present(root, "top_logprobs", out _))
        {
            return Fail("'top_logprobs' is not supported: no deployment in the router's catalog declares log probabilities.", "top_logprobs", "unsupported_parameter");
        }

        var effortError = OpenAiParameters.ReadReasoningEffort(root.TryGetProperty("reasoning_effort", out var effort) ? effort : default, "reasoning_effort", out var reasoningEffort);
        if (effortError is not null)
        {
            return (null, effortError);
        }

        if (OpenAiParameters.ReadSampling(root, reasoningEffort, out var sampling) is { } samplingError)
        {
            return (null, samplingError);
        }

        return (new ChatCompletionRequest(modelElement.GetString()!, messages, stream, includeUsage, maxTokens, temperature) { Sampling = sampling }, null);
    }

    private static (CallerMessage? Message, RequestError? Error) ParseMessage(JsonElement message, int index)
    {
        var at = $"messages[{index}]";
        if (message.ValueKind != JsonValueKind.Object)
        {
            return Fail<CallerMessage>($"'{at}' must be an object with 'role' and 'content' (got {Kind(message)}).", at);
        }

        string? role = null;
        string? content = null;
        foreach (var property in message.EnumerateObject())
        {
            switch (property.Name)
            {
                case "role":
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return Fail<CallerMessage>($"'{at}.role' must be a string (got {Kind(property.Value)}).", at + ".role");
                    }

                    role = property.Value.GetString();
                    break;
                case "content":
                    var (text, error) = ContentText(property.Value, at + ".content");
                    if (error is not null)
                    {
                        return (null, error);
                    }

                    content = text;
                    break;
                case "name":
                    if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        return Fail<CallerMessage>($"'{at}.name' must be a string (got {Kind(property.Value)}).", at + ".name");
                    }

                    break;
                case "tool_calls" or "function_call" or "tool_call_id" or "audio" or "refusal":
                    if (property.Value.ValueKind != JsonValueKind.Null)
                    {
                        return Fail<CallerMessage>($"Unsupported parameter: '{at}.{property.Name}': tools, functions and audio are not supported by this router.", $"{at}.{property.Name}", "unsupported_parameter");
                    }

                    break;
                default:
                    return Fail<CallerMessage>($"Unknown property '{at}.{property.Name}'; a message has 'role', 'content' and optionally 'name'.", $"{at}.{property.Name}");
            }
        }

        if (role is null)
        {
            return Fail<CallerMessage>($"'{at}.role' is required.", at + ".role", "missing_required_parameter");
        }

        if (!Roles.Contains(role))
        {
            return Fail<CallerMessage>($"'{at}.role' is '{role}'; supported roles are system, developer, user and assistant (tool messages are not supported).", at + ".role", role is "tool" or "function" ? "unsupported_parameter" : "invalid_value");
        }

        if (content is null)
        {
            return Fail<CallerMessage>($"'{at}.content' is required and must be a string or an array of text parts.", at + ".content", "missing_required_parameter");
        }

        return (new CallerMessage(role, content), null);
    }

    private static (string? Text, RequestError? Error) ContentText(JsonElement content, string at)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return (content.GetString(), null);
            case JsonValueKind.Null:
                return (null, null);
            case JsonValueKind.Array:
                // Text parts are joined with a newline, so two parts never run into one word.
                var text = new StringBuilder();
                var i = 0;
                foreach (var part in content.EnumerateArray())
                {
                    var partAt = $"{at}[{i++}]";
                    if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                    {
                        return Fail<string>($"'{partAt}' must be an object with a 'type'.", partAt);
                    }

                    if (type.GetString() != "text")
                    {
                        return Fail<string>($"Unsupported parameter: '{partAt}.type' is '{type.GetString()}'; only text parts are supported.", partAt + ".type", "unsupported_parameter");
                    }

                    if (!part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                    {
                        return Fail<string>($"'{partAt}.text' must be a string.", partAt + ".text");
                    }

                    if (i > 1)
                    {
                        text.Append('\n');
                    }

                    text.Append(partText.GetString());
                }

                return (text.ToString(), null);
            default:
                return Fail<string>($"'{at}' must be a string or an array of text parts (got {Kind(content)}).", at);
        }
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

    private static (ChatCompletionRequest?, RequestError?) Fail(string message, string param, string code = "invalid_value") =>
        Fail<ChatCompletionRequest>(message, param, code);
}
