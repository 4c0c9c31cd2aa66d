using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Router.Core.Models;
using Router.Functions.Api;

namespace Router.Functions.OpenAi;

/// <summary>
/// Relays a streamed answer as OpenAI server-sent events: a role chunk, one chunk per update
/// as it arrives (flushed at once, never buffered), the finish chunk, the usage chunk when
/// the client asked for it, then <c>data: [DONE]</c>. The cost is known only at the end, so
/// it follows as an SSE comment (<c>: x-router-cost-usd=...</c>) that clients ignore.
/// A model failure after the first byte can no longer change the status: it is sent as an
/// error event in OpenAI's envelope and the stream ends without [DONE].
/// </summary>
public sealed class ChatCompletionStreamResult(
    StreamHead head,
    IAsyncEnumerable<ChatStreamUpdate> updates,
    Func<decimal?> cost,
    IAsyncDisposable? owner) : IActionResult
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var response = http.Response;
        var aborted = http.RequestAborted;
        try
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            response.Headers[RouterHeaders.Route] = head.Route;
            response.Headers[RouterHeaders.CallId] = head.CallId;
            response.Headers[RouterHeaders.Model] = head.ModelName;
            response.Headers[RouterHeaders.Fallback] = head.Fallback ? "true" : "false";
            if (head.KnownCostUsd is { } known)
            {
                response.Headers[RouterHeaders.CostUsd] = RouterHeaders.FormatCost(known);
            }

            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

            var buffer = new ArrayBufferWriter<byte>(1024);
            await WriteEventAsync(response, buffer, w => OpenAiWire.WriteChunk(w, head.Id, head.Created, head.Deployment, "assistant", string.Empty, null, head.IncludeUsage), aborted);
            TokenUsage? usage = null;
            await foreach (var update in updates)
            {
                if (update.ContentDelta is { Length: > 0 } text)
                {
                    await WriteEventAsync(response, buffer, w => OpenAiWire.WriteChunk(w, head.Id, head.Created, head.Deployment, null, text, null, head.IncludeUsage), aborted);
                }

                if (update.FinishReason is { } finish)
                {
                    await WriteEventAsync(response, buffer, w => OpenAiWire.WriteChunk(w, head.Id, head.Created, head.Deployment, null, null, finish, head.IncludeUsage), aborted);
                }

                usage = update.Usage ?? usage;
            }

            if (head.IncludeUsage && usage is { } final)
            {
                await WriteEventAsync(response, buffer, w => OpenAiWire.WriteUsageChunk(w, head.Id, head.Created, head.Deployment, final), aborted);
            }

            if (cost() is { } total)
            {
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(": " + RouterHeaders.CostUsd + "=" + RouterHeaders.FormatCost(total) + "\n\n"), aborted);
            }

            await response.Body.WriteAsync(Done, aborted);
            await response.Body.FlushAsync(aborted);
        }
        catch (ModelCallException failure) when (!aborted.IsCancellationRequested)
        {
            var error = OpenAiErrorResult.Upstream(failure);
            var buffer = new ArrayBufferWriter<byte>(256);
            await WriteEventAsync(response, buffer, w => OpenAiWire.WriteError(w, failure.Message, "server_error", null, error.Code), aborted);
        }
        catch (Exception ex) when (aborted.IsCancellationRequested && ex is OperationCanceledException or IOException or ModelCallException)
        {
            // The client left; the stream's owner records the call as client-aborted with the tokens streamed so far.
        }
        finally
        {
            if (owner is not null)
            {
                await owner.DisposeAsync();
            }
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, ArrayBufferWriter<byte> buffer, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        buffer.Write(DataPrefix);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        buffer.Write(EventEnd);
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}

/// <summary>What the SSE response says before the first chunk: ids, the serving deployment and route, and whether the usage chunk was asked for.</summary>
public sealed record StreamHead(string Id, string CallId, long Created, string Route, string ModelName, string Deployment, bool Fallback, bool IncludeUsage, decimal? KnownCostUsd);
