using System.Buffers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
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
/// Relays a streamed answer as the Responses API's typed server-sent events
/// (<c>event: response.output_text.delta</c> + <c>data: {...}</c>), written with
/// System.Net.ServerSentEvents' <see cref="SseFormatter"/>, each event flushed as it is made
/// (response buffering disabled). The order and numbering are <see cref="ResponseEventSequence"/>'s.
/// The cost is known only at the end, so it follows as an SSE comment that clients ignore.
/// </summary>
public sealed class ResponsesStreamResult(IStreamedAnswer answer, ResponseFrame frame, TimeProvider time) : IActionResult
{
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
            RouterHeaders.Apply(response.Headers, answer);
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

            await SseFormatter.WriteAsync(EventsAsync(aborted), response.Body, Format, aborted);

            if (answer.FinalCostUsd is { } total)
            {
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(": " + RouterHeaders.CostUsd + "=" + RouterHeaders.FormatCost(total) + "\n\n"), aborted);
            }

            await response.Body.FlushAsync(aborted);
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

    private static void Format(SseItem<ResponseEvent> item, IBufferWriter<byte> buffer)
    {
        using var writer = new Utf8JsonWriter(buffer);
        item.Data.Write(writer);
    }

    private async IAsyncEnumerable<SseItem<ResponseEvent>> EventsAsync([EnumeratorCancellation] CancellationToken aborted)
    {
        var sequence = new ResponseEventSequence(frame, answer.CallId);
        foreach (var started in sequence.Start())
        {
            yield return Item(started);
        }

        string? finishReason = null;
        TokenUsage? usage = null;
        var updates = answer.ReadAsync().GetAsyncEnumerator(aborted);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                ModelCallException? failure = null;
                bool more;
                try
                {
                    more = await updates.MoveNextAsync();
                }
                catch (ModelCallException upstream) when (!aborted.IsCancellationRequested)
                {
                    failure = upstream;
                    more = false;
                }

                if (failure is not null)
                {
                    var code = OpenAiErrorResult.Upstream(failure).Code ?? "upstream_error";
                    foreach (var failed in sequence.Fail(code, failure.Message))
                    {
                        yield return Item(failed);
                    }

                    yield break;
                }

                if (!more)
                {
                    break;
                }

                var update = updates.Current;
                foreach (var relayed in sequence.Update(update))
                {
                    yield return Item(relayed);
                }

                finishReason = update.FinishReason ?? finishReason;
                usage = update.Usage ?? usage;
            }
        }

        foreach (var ended in sequence.End(finishReason, usage, time.GetUtcNow().ToUnixTimeSeconds()))
        {
            yield return Item(ended);
        }
    }

    private static SseItem<ResponseEvent> Item(ResponseEvent data) => new(data, data.Type);
}
