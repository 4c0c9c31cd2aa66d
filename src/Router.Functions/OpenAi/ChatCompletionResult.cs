using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Router.Core.Routing;
using Router.Functions.Api;

namespace Router.Functions.OpenAi;

/// <summary>
/// A non-streamed chat completion, written once: the x-router-* headers, then the OpenAI body
/// straight from the result. <c>model</c> is the task the client asked for (clients and their
/// telemetry key on it); the deployment that served it is in x-router-deployment.
/// </summary>
public sealed class ChatCompletionResult(RouteResult result, long created) : IActionResult
{
    public RouteResult Result { get; } = result ?? throw new ArgumentNullException(nameof(result));

    /// <summary>The output cap the call got when the task's ceiling cut the caller's max tokens.</summary>
    public int? MaxTokensCappedTo { get; init; }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        RouterHeaders.Apply(response.Headers, Result);
        RouterHeaders.ApplyCap(response.Headers, MaxTokensCappedTo);

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var answer = Result.Response;
            OpenAiWire.WriteCompletion(writer, "chatcmpl-" + Result.CallId, created, Result.Task.Name, answer.Text, answer.FinishReason, answer.Usage, answer.ToolCalls);
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.HttpContext.RequestAborted);
    }
}
