using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using OpenAI.Chat;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Router.Core.Models;

/// <summary>
/// A deployment reached through an OpenAI SDK <see cref="ChatClient"/> (created by
/// Azure.AI.OpenAI for azure-openai, or directly for openai-compatible), used at its protocol
/// level: the SDK owns the pipeline (endpoint and path, api-version, key or managed identity,
/// the transport with its resilience handler) and Router owns the body, written from the flow's
/// request by <see cref="ChatRequestWriter"/> and read back by <see cref="ChatResponseReader"/>,
/// with no SDK option, message or response models per call (issue 11). Failures are translated
/// into <see cref="ModelCallException"/> so callers see 502/503/504 with a cause.
/// </summary>
public sealed class SdkChatModel(string name, ChatClient client, ChatWire wire) : IChatModel
{
    public string Name { get; } = name;

    public async Task<ChatModelResponse> CompleteAsync(ChatModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var content = ChatRequestWriter.Create(request, wire, stream: false);
        try
        {
            var result = await client.CompleteChatAsync(content, new RequestOptions { CancellationToken = cancellationToken });
            var (response, hasUsage) = ChatResponseReader.ReadCompletion(result.GetRawResponse().Content.ToMemory().Span);
            return hasUsage
                ? response
                : throw new ModelCallException(UpstreamFailureKind.BadGateway, Name, $"Model '{Name}' answered without usage; the call cannot be billed.");
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// The request asks for <c>stream_options.include_usage</c>, so the model's last chunk carries the
    /// usage that bills the call. The response is not buffered: chunks are parsed as they arrive
    /// (System.Net.ServerSentEvents), each straight from the event's bytes.
    /// </summary>
    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PipelineResponse response;
        using (var content = ChatRequestWriter.Create(request, wire, stream: true))
        {
            try
            {
                var result = await client.CompleteChatAsync(content, new RequestOptions { CancellationToken = cancellationToken, BufferResponse = false });
                response = result.GetRawResponse();
            }
            catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
            {
                throw translated;
            }
        }

        using (response)
        {
            var events = SseParser.Create(response.ContentStream ?? Stream.Null, static (_, data) => IsDone(data) ? null : ChatResponseReader.ReadChunk(data))
                .EnumerateAsync(cancellationToken)
                .GetAsyncEnumerator(cancellationToken);
            await using (events.ConfigureAwait(false))
            {
                while (true)
                {
                    ChatStreamUpdate? update;
                    try
                    {
                        if (!await events.MoveNextAsync())
                        {
                            yield break;
                        }

                        update = events.Current.Data;
                    }
                    catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                    {
                        throw translated;
                    }

                    if (update is null)
                    {
                        // data: [DONE]
                        yield break;
                    }

                    yield return update;
                }
            }
        }
    }

    private static bool IsDone(ReadOnlySpan<byte> data) => data.SequenceEqual("[DONE]"u8);

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
            case IOException:
                // The connection broke while the answer was being read (a stream cut mid-way).
                return new ModelCallException(UpstreamFailureKind.BadGateway, Name, $"Model '{Name}' broke off its answer: {exception.Message}", null, exception);
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
