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
/// system prompt: they are caller input, and the task's prompt comes first. Messages are read by
/// the shared <see cref="MessageItemReader"/>; tools, tool_choice and response_format by
/// <see cref="OpenAiTools"/>, into the same API-neutral parts the Responses API produces.
/// </summary>
public static class ChatCompletionRequestParser
{
    public const int MaxMessages = 1_000;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature", "n", "user",
        "top_p", "stop", "seed", "presence_penalty", "frequency_penalty", "logit_bias", "parallel_tool_calls", "reasoning_effort",
        "store", "logprobs", "top_logprobs", "tools", "tool_choice", "response_format", "metadata",
    };

    public static (ChatCompletionRequest? Request, RequestError? Error) Parse(JsonElement root) => Parse(root, null);

    /// <param name="deployment">The task named by an Azure deployment path (<c>/openai/deployments/{task}/...</c>): it wins, and the body's <c>model</c> is optional.</param>
    public static (ChatCompletionRequest? Request, RequestError? Error) Parse(JsonElement root, string? deployment)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                return Fail($"Unsupported parameter: '{property.Name}' is not supported by this router (supported: {string.Join(", ", Known.Order(StringComparer.Ordinal))}).", property.Name, "unsupported_parameter");
            }
        }

        var hasModel = root.TryGetProperty("model", out var modelElement) && modelElement.ValueKind != JsonValueKind.Null;
        if (!hasModel && deployment is null)
        {
            return Fail("'model' is required: name the task to run (see GET /api/v1/models).", "model", "missing_required_parameter");
        }

        if (hasModel && (modelElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(modelElement.GetString())))
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
            var (parsed, error) = MessageItemReader.Read(message, $"messages[{index++}]", MessageDialect.Chat);
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

        if (MessageItemReader.UnansweredToolMessage(messages) is { } orphan)
        {
            return Fail($"'messages[{orphan}].tool_call_id' names no tool call of an earlier assistant message: a tool message answers one of them.", $"messages[{orphan}].tool_call_id");
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

        var (tools, toolsError) = OpenAiTools.ReadTools(root, nested: true);
        if (toolsError is not null)
        {
            return (null, toolsError);
        }

        var (toolChoice, choiceError) = OpenAiTools.ReadToolChoice(root, tools!, nested: true);
        if (choiceError is not null)
        {
            return (null, choiceError);
        }

        CallerFormat? format = null;
        if (OpenAiParameters.Present(root, "response_format", out var responseFormat))
        {
            var (read, formatError) = OpenAiTools.ReadFormat(responseFormat, "response_format", nested: true);
            if (formatError is not null)
            {
                return (null, formatError);
            }

            format = read;
        }

        var (metadata, metadataError) = OpenAiParameters.ReadMetadata(root);
        if (metadataError is not null)
        {
            return (null, metadataError);
        }

        return (new ChatCompletionRequest(deployment ?? modelElement.GetString()!, messages, stream, includeUsage, maxTokens, temperature)
        {
            Sampling = sampling,
            Tools = tools!,
            ToolChoice = toolChoice,
            Format = format,
            Metadata = metadata,
        }, null);
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
