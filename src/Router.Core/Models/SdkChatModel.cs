using System.ClientModel;
using System.Runtime.CompilerServices;
using OpenAI.Chat;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Router.Core.Routing;

namespace Router.Core.Models;

/// <summary>
/// A deployment reached through an OpenAI SDK <see cref="ChatClient"/> (created by
/// Azure.AI.OpenAI for azure-openai, or directly for openai-compatible). Failures are
/// translated into <see cref="ModelCallException"/> so callers see 502/503/504 with a cause.
/// </summary>
public sealed class SdkChatModel(string name, ChatClient client) : IChatModel
{
    public string Name { get; } = name;

    public async Task<ChatModelResponse> CompleteAsync(ChatModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = OptionsFor(request);
        using var extra = ExtraBodyPolicy.Use(ExtraBodyOf(request));
        try
        {
            ClientResult<ChatCompletion> result = await client.CompleteChatAsync(ToSdkMessages(request.Messages), options, cancellationToken);
            var completion = result.Value;
            var text = completion.Content.Count > 0 ? string.Concat(completion.Content.Select(p => p.Text)) : string.Empty;
            var usage = completion.Usage is { } u
                ? new TokenUsage(u.InputTokenCount, u.InputTokenDetails?.CachedTokenCount ?? 0, u.OutputTokenCount)
                : throw new ModelCallException(UpstreamFailureKind.BadGateway, Name, $"Model '{Name}' answered without usage; the call cannot be billed.");
            return new ChatModelResponse(text, WireFinishReason(completion.FinishReason), usage, completion.Model)
            {
                ToolCalls = completion.ToolCalls.Select(c => new ToolCall(c.Id, c.FunctionName, c.FunctionArguments?.ToString() ?? string.Empty)).ToList(),
            };
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// The SDK (OpenAI 2.15.0) sets stream_options.include_usage on every streaming call, so the
    /// model's last chunk carries the usage that bills the call.
    /// </summary>
    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The request goes out on the first MoveNextAsync, inside this scope.
        using var extra = ExtraBodyPolicy.Use(ExtraBodyOf(request));
        var stream = client.CompleteChatStreamingAsync(ToSdkMessages(request.Messages), OptionsFor(request), cancellationToken);
        var updates = stream.GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                StreamingChatCompletionUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        yield break;
                    }

                    update = updates.Current;
                }
                catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                var text = update.ContentUpdate.Count > 0 ? string.Concat(update.ContentUpdate.Select(p => p.Text)) : null;
                var usage = update.Usage is { } u ? new TokenUsage(u.InputTokenCount, u.InputTokenDetails?.CachedTokenCount ?? 0, u.OutputTokenCount) : (TokenUsage?)null;
                var toolCalls = update.ToolCallUpdates.Count == 0
                    ? (IReadOnlyList<ToolCallDelta>)[]
                    : update.ToolCallUpdates.Select(c => new ToolCallDelta(c.Index, c.ToolCallId, c.FunctionName, c.FunctionArgumentsUpdate?.ToString())).ToList();
                yield return new ChatStreamUpdate(string.IsNullOrEmpty(text) ? null : text, update.FinishReason is { } reason ? WireFinishReason(reason) : null, usage, update.Model)
                {
                    ToolCalls = toolCalls,
                };
            }
        }
    }

    /// <summary>The OpenAI wire value (stop, length, ...), which the OpenAI-compatible endpoint passes on unchanged.</summary>
    internal static string WireFinishReason(ChatFinishReason reason) => reason switch
    {
        ChatFinishReason.Stop => "stop",
        ChatFinishReason.Length => "length",
        ChatFinishReason.ContentFilter => "content_filter",
        ChatFinishReason.ToolCalls => "tool_calls",
        ChatFinishReason.FunctionCall => "function_call",
        _ => "stop",
    };

    private static ChatCompletionOptions OptionsFor(ChatModelRequest request)
    {
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = request.MaxOutputTokens,
            Temperature = request.Temperature is { } t ? (float)t : null,
        };
        if (request.Format is { } format)
        {
            options.ResponseFormat = format.HasSchema
                ? ChatResponseFormat.CreateJsonSchemaFormat(format.Name ?? "response", BinaryData.FromString(format.SchemaText!), format.Description, format.Strict)
                : ChatResponseFormat.CreateJsonObjectFormat();
        }
        else if (request.JsonOutput)
        {
            options.ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat();
        }

        var sampling = request.Sampling;
        options.TopP = sampling.TopP is { } topP ? (float)topP : null;
        options.PresencePenalty = sampling.PresencePenalty is { } presence ? (float)presence : null;
        options.FrequencyPenalty = sampling.FrequencyPenalty is { } frequency ? (float)frequency : null;
#pragma warning disable OPENAI001 // Seed is marked experimental in the OpenAI SDK; the wire property is stable.
        options.Seed = sampling.Seed;
#pragma warning restore OPENAI001
        options.EndUserId = sampling.EndUser;
        foreach (var stop in sampling.Stop)
        {
            options.StopSequences.Add(stop);
        }

        foreach (var (token, bias) in sampling.LogitBias)
        {
            options.LogitBiases[token] = bias;
        }

        foreach (var tool in request.Tools)
        {
            options.Tools.Add(ChatTool.CreateFunctionTool(tool.Name, tool.Description, tool.ParametersJson is { } parameters ? BinaryData.FromString(parameters) : null, tool.Strict));
        }

        if (request.Tools.Count > 0)
        {
            // The API refuses parallel_tool_calls without tools, so it goes only beside them.
            options.AllowParallelToolCalls = sampling.ParallelToolCalls;
        }

        // As parallel_tool_calls: the API refuses tool_choice without tools (and "auto" / "none" without tools change nothing).
        if (request.Tools.Count > 0 && request.ToolChoice is { } choice)
        {
            options.ToolChoice = choice.Mode switch
            {
                ToolChoice.NoneMode => ChatToolChoice.CreateNoneChoice(),
                ToolChoice.RequiredMode => ChatToolChoice.CreateRequiredChoice(),
                ToolChoice.FunctionMode => ChatToolChoice.CreateFunctionChoice(choice.FunctionName!),
                _ => ChatToolChoice.CreateAutoChoice(),
            };
        }

        return options;
    }

    private static Dictionary<string, string>? ExtraBodyOf(ChatModelRequest request) =>
        request.Sampling.ReasoningEffort is { } effort ? new Dictionary<string, string>(StringComparer.Ordinal) { ["reasoning_effort"] = effort } : null;

    internal static IEnumerable<ChatMessage> ToSdkMessages(IReadOnlyList<PromptMessage> messages)
    {
        foreach (var message in messages)
        {
            yield return message.Role switch
            {
                "system" => new SystemChatMessage(message.Content),
                "assistant" when message.ToolCalls.Count > 0 => AssistantWithToolCalls(message),
                "assistant" => new AssistantChatMessage(message.Content),
                "tool" => new ToolChatMessage(message.ToolCallId ?? string.Empty, message.Content),
                "developer" => new SystemChatMessage(message.Content),
                _ => new UserChatMessage(message.Content),
            };
        }
    }

    private static AssistantChatMessage AssistantWithToolCalls(PromptMessage message)
    {
        var assistant = new AssistantChatMessage(message.ToolCalls.Select(c => ChatToolCall.CreateFunctionToolCall(c.Id, c.Name, BinaryData.FromString(c.Arguments))));
        if (!string.IsNullOrEmpty(message.Content))
        {
            assistant.Content.Add(ChatMessageContentPart.CreateTextPart(message.Content));
        }

        return assistant;
    }

    /// <summary>Maps SDK, HTTP and Polly failures to the status the caller gets. Returns null for the caller's own cancellation.</summary>
    internal ModelCallException? Translate(Exception exception, CancellationToken callerToken)
    {
        switch (exception)
        {
            case ModelCallException:
                return null;
            case OperationCanceledException when callerToken.IsCancellationRequested:
                return null;
            case ClientResultException { Status: 429 } rate:
                return new ModelCallException(UpstreamFailureKind.RateLimited, Name, $"Model '{Name}' is rate limited (429) and retries ran out.", RetryAfterOf(rate), exception);
            case ClientResultException { Status: 408 or 504 }:
                return new ModelCallException(UpstreamFailureKind.Timeout, Name, $"Model '{Name}' timed out upstream.", null, exception);
            case ClientResultException { Status: 0 } noResponse:
                return new ModelCallException(UpstreamFailureKind.Unavailable, Name, $"Model '{Name}' could not be reached: {noResponse.InnerException?.Message ?? noResponse.Message}", null, exception);
            case ClientResultException result:
                return new ModelCallException(UpstreamFailureKind.BadGateway, Name, $"Model '{Name}' answered HTTP {result.Status}.", null, exception);
            case BrokenCircuitException:
                return new ModelCallException(UpstreamFailureKind.Unavailable, Name, $"Model '{Name}' is failing; its circuit is open.", null, exception);
            case RateLimiterRejectedException rejected:
                // The deployment's concurrency limiter (the standard resilience handler's) refused the call: too many in flight.
                return new ModelCallException(UpstreamFailureKind.Unavailable, Name, $"Model '{Name}' has too many calls in flight (its concurrency limit); retry later.", rejected.RetryAfter, exception);
            case TimeoutRejectedException or TimeoutException or OperationCanceledException:
                return new ModelCallException(UpstreamFailureKind.Timeout, Name, $"Model '{Name}' did not answer within the deadline.", null, exception);
            case HttpRequestException http:
                return new ModelCallException(UpstreamFailureKind.Unavailable, Name, $"Model '{Name}' could not be reached: {http.Message}", null, exception);
            case System.Text.Json.JsonException or InvalidOperationException or FormatException or KeyNotFoundException:
                return new ModelCallException(UpstreamFailureKind.BadGateway, Name, $"Model '{Name}' sent a response that could not be read.", null, exception);
            default:
                return null;
        }
    }

    private static TimeSpan? RetryAfterOf(ClientResultException exception)
    {
        var response = exception.GetRawResponse();
        if (response is null)
        {
            return null;
        }

        if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, System.Globalization.CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (response.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }
}
