using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Router.Core.Routing;
using Router.Functions.Api;

namespace Router.Functions.OpenAi;

/// <summary>A non-streamed Responses answer, written once: the x-router-* headers, then the <c>response</c> object.</summary>
public sealed class ResponsesResult(RouteResult result, ResponseFrame frame) : IActionResult
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
            var (status, incomplete) = ResponsesWire.StatusOf(answer.FinishReason);
            ResponsesWire.WriteResponse(writer, frame, status, ResponsesWire.OutputOf(Result.CallId, answer, status), answer.Usage, incompleteReason: incomplete);
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.HttpContext.RequestAborted);
    }
}
