using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Router.Core.Routing;
using Router.Functions.Api;

namespace Router.Functions.OpenAi;

/// <summary>A non-streamed chat completion, written once: the x-router-* headers, then the OpenAI body straight from the result.</summary>
public sealed class ChatCompletionResult(RouteResult result, long created) : IActionResult
{
    public RouteResult Result { get; } = result ?? throw new ArgumentNullException(nameof(result));

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        RouterHeaders.Apply(response.Headers, Result);

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var answer = Result.Response;
            OpenAiWire.WriteCompletion(writer, "chatcmpl-" + Result.CallId, created, Result.Model.Deployment, answer.Text, answer.FinishReason, answer.Usage);
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.HttpContext.RequestAborted);
    }
}
