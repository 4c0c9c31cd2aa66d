using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Router.Core.Catalog;
using Router.Core.Routing;
using Router.Functions.Http;
using Router.Functions.OpenAi;

namespace Router.Functions.Functions;

/// <summary>
/// POST /api/v1/chat/completions: the OpenAI-compatible call, so existing OpenAI clients work
/// unchanged. <c>model</c> names the task, and the answer's <c>model</c> is that task too (the
/// deployment that served it is in x-router-deployment). Thin: read and parse once, hand to <see cref="CallFlow"/>, write its outcome as
/// one completion or as server-sent events.
/// </summary>
public sealed class ChatCompletionsFunction(CallerRequestReader reader, CallFlow flow, IOptions<RouterOptions> options, TimeProvider time)
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
        var outcome = await flow.SendAsync(
            new RouteRequest(task, client, request.Messages, null, request.MaxOutputTokens, request.Temperature, Api, started) { Stream = request.Stream, Sampling = request.Sampling },
            req.HttpContext.RequestAborted);
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        int? capped = task.CapsOutputTokens(request.MaxOutputTokens) ? task.OutputTokenCap(request.MaxOutputTokens) : null;
        return outcome switch
        {
            // The caller left: the flow recorded the call, there is no one to answer.
            { Failure: { Upstream: null } } => new EmptyResult(),
            { Failure.Upstream: { } upstream } => OpenAiErrorResult.Upstream(upstream),
            { Stream: { } stream } => new ChatCompletionStreamResult(stream, task.Name, created, request.IncludeUsage) { MaxTokensCappedTo = capped },
            _ => new ChatCompletionResult(outcome.Result!, created) { MaxTokensCappedTo = capped },
        };
    }
}
