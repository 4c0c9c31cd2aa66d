using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Router.Core.Models;
using Router.Core.Routing;
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
public sealed class ChatCompletionStreamResult(IStreamedAnswer answer, string task, long created, bool includeUsage) : IActionResult
{
    /// <summary>The output cap the call got when the task's ceiling cut the caller's max tokens.</summary>
    public int? MaxTokensCappedTo { get; init; }

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var response = http.Response;
        var aborted = http.RequestAborted;
        var id = "chatcmpl-" + answer.CallId;
        // model = the task the client asked for; the deployment is in x-router-deployment.
        var model = task;
        try
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            RouterHeaders.Apply(response.Headers, answer);
            RouterHeaders.ApplyCap(response.Headers, MaxTokensCappedTo);

            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

            var buffer = new ArrayBufferWriter<byte>(1024);
            await WriteEventAsync(response, buffer, w => OpenAiWire.WriteChunk(w, id, created, model, "assistant", string.Empty, null, includeUsage), aborted);
            TokenUsage? usage = null;
            await foreach (var update in answer.ReadAsync())
            {
                if (update.ContentDelta is { Length: > 0 } text)
                {
                    await WriteEventAsync(response, buffer, w => OpenAiWire.WriteChunk(w, id, created, model, null, text, null, includeUsage), aborted);
                }

                if (update.ToolCalls.Count > 0)
                {
                    await WriteEventAsync(response, buffer, w => OpenAiWire.WriteChunk(w, id, created, model, null, null, null, includeUsage, update.ToolCalls), aborted);
                }

                if (update.FinishReason is { } finish)
                {
                    await WriteEventAsync(response, buffer, w => OpenAiWire.WriteChunk(w, id, created, model, null, null, finish, includeUsage), aborted);
                }

                usage = update.Usage ?? usage;
            }

            if (includeUsage && usage is { } final)
            {
                await WriteEventAsync(response, buffer, w => OpenAiWire.WriteUsageChunk(w, id, created, model, final), aborted);
            }

            if (answer.FinalCostUsd is { } total)
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
            await answer.DisposeAsync();
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
