using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Router.Core.Catalog;
using Router.Core.Models;
using Router.Core.Routing;
using Router.Core.Security;
using Router.Functions.Api;
using Router.Functions.Http;
using Router.Functions.OpenAi;

namespace Router.Functions.Functions;

/// <summary>
/// POST /api/v1/chat/completions: the OpenAI-compatible call, so existing OpenAI clients work
/// unchanged. <c>model</c> names the task; the answer's <c>model</c> is the deployment that
/// served it. Thin: authenticate, parse, hand to the executors, shape the OpenAI answer.
/// </summary>
public sealed class ChatCompletionsFunction(
    CallerRequestReader reader,
    RouteExecutor executor,
    RouteStreamExecutor streams,
    IOptions<RouterOptions> options,
    TimeProvider time)
{
    public const string Api = "chat";

    [Function("ChatCompletions")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/chat/completions")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        var started = time.GetTimestamp();
        var read = await reader.ReadAsync(req, options.Value.MaxRequestBodyBytes, ChatCompletionRequestParser.Parse, taskParameter: "model");
        if (read.Error is not null)
        {
            return OpenAiErrorResult.From(read.Error);
        }

        var (client, request, task) = (read.Client!, read.Value!, read.Task!);
        var route = new RouteRequest(task, client, request.Messages, null, request.MaxOutputTokens, request.Temperature, Api, started);
        var aborted = req.HttpContext.RequestAborted;
        try
        {
            if (!request.Stream)
            {
                return Completion(await executor.ExecuteAsync(route, aborted));
            }

            if (StreamsThroughCascade(task))
            {
                // Output rules with a cascade need the whole answer before the caller sees it: run it
                // non-streaming (checked, escalated if need be) and send it as one content chunk.
                var result = await executor.ExecuteAsync(route, aborted);
                return new ChatCompletionStreamResult(Head(result.CallId, result.Route, result.Model, result.Fallback, request.IncludeUsage, result.TotalCostUsd), AsUpdates(result), () => result.TotalCostUsd, owner: null);
            }

            var call = await streams.OpenAsync(route, aborted);
            return new ChatCompletionStreamResult(Head(call.CallId, call.Route, call.Model, call.Fallback, request.IncludeUsage, null), call.ReadAsync(), () => call.Record?.CostUsd, call);
        }
        catch (ModelCallException failure)
        {
            return OpenAiErrorResult.Upstream(failure);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The caller left; the executor recorded the call. Nothing to send.
            return new EmptyResult();
        }
    }

    /// <summary>A small route whose answers are checked and cascaded is buffered; everything else streams as it comes.</summary>
    public static bool StreamsThroughCascade(CatalogTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Route == RouteTarget.Small && task.CascadeToLarge && (task.Output.Labels.Count > 0 || task.Output.RequiresJson);
    }

    private StreamHead Head(string callId, RouteTarget route, CatalogModel model, bool fallback, bool includeUsage, decimal? cost) =>
        new("chatcmpl-" + callId, callId, time.GetUtcNow().ToUnixTimeSeconds(), route.ToWire(), model.Name, model.Deployment, fallback, includeUsage, cost);

    private JsonBodyResult Completion(RouteResult result)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            OpenAiWire.WriteCompletion(writer, "chatcmpl-" + result.CallId, time.GetUtcNow().ToUnixTimeSeconds(), result.Model.Deployment, result.Response.Text, result.Response.FinishReason, result.Response.Usage);
        }

        using var body = JsonDocument.Parse(buffer.WrittenMemory);
        var response = new JsonBodyResult(body.RootElement.Clone());
        RouterHeaders.Apply(response, result);
        return response;
    }

    private static async IAsyncEnumerable<ChatStreamUpdate> AsUpdates(RouteResult result)
    {
        await Task.CompletedTask;
        yield return new ChatStreamUpdate(result.Response.Text, null, null, result.Response.ResponseModel);
        yield return new ChatStreamUpdate(null, result.Response.FinishReason ?? "stop", result.Response.Usage, result.Response.ResponseModel);
    }
}
