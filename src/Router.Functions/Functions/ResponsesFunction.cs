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
/// POST /api/v1/responses (and Azure OpenAI's /api/openai/v1/responses and /api/openai/responses): the OpenAI Responses
/// API, which the newest SDKs and agent frameworks call by default. <c>model</c> names the task.
/// Not a pass-through: the request is translated to the task's plan (a <see cref="RouteRequest"/>
/// through the one <see cref="CallFlow"/>, which calls the deployment's chat completions) and the
/// outcome written back as a <c>response</c> object or the typed stream events. Stateless: what
/// needs stored responses is refused by the parser, naming the parameter.
/// </summary>
public sealed class ResponsesFunction(CallerRequestReader reader, CallFlow flow, IOptions<RouterOptions> options, TimeProvider time)
{
    public const string Api = "responses";

    [Function("Responses")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/responses")] HttpRequest req) => RespondAsync(req);

    [Function("AzureResponses")]
    public Task<IActionResult> RunAzure([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openai/v1/responses")] HttpRequest req) => RespondAsync(req);

    /// <summary>
    /// Azure OpenAI's dated Responses path, <c>/openai/responses?api-version=...</c>, which the npm
    /// <c>AzureOpenAI</c> client calls (responses are not under <c>/deployments/</c>: <c>model</c> names
    /// the deployment, here the task). As on the deployment path, <c>api-version</c> must be one Router accepts.
    /// </summary>
    [Function("AzureDatedResponses")]
    public Task<IActionResult> RunAzureDated([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openai/responses")] HttpRequest req) => RespondAsync(req, checkApiVersion: true);

    private async Task<IActionResult> RespondAsync(HttpRequest req, bool checkApiVersion = false)
    {
        ArgumentNullException.ThrowIfNull(req);
        var started = time.GetTimestamp();
        // The key is checked first (401/403), then the body; the dated path's api-version is checked with the body.
        var read = await reader.ReadAsync(req, options.Value.MaxRequestBodyBytes, root => checkApiVersion && AzureApiVersions.Check(req) is { } badVersion ? (null, badVersion) : ResponsesRequestParser.Parse(root), taskParameter: "model");
        if (read.Error is not null)
        {
            return OpenAiErrorResult.From(read.Error);
        }

        var (client, request, task) = (read.Client!, read.Value!, read.Task!);
        var route = new RouteRequest(task, client, request.Messages, null, request.MaxOutputTokens, request.Temperature, Api, started)
        {
            Stream = request.Stream,
            Sampling = new SamplingOptions { TopP = request.TopP, ParallelToolCalls = request.ParallelToolCalls },
            Metadata = request.Metadata,
            Tools = request.Tools,
            ToolChoice = request.ToolChoice,
            Format = request.Format,
        };
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var outcome = await flow.SendAsync(route, req.HttpContext.RequestAborted);
        var frame = (string callId) => new ResponseFrame(ResponseFrame.ResponseId(callId), created, task.Name, request, route.OutputTokenLimit)
        {
            CompletedAt = time.GetUtcNow().ToUnixTimeSeconds(),
        };
        return outcome switch
        {
            // The caller left: the flow recorded the call, there is no one to answer.
            { Failure: { Upstream: null } } => new EmptyResult(),
            { Failure.Upstream: { } upstream } => OpenAiErrorResult.Upstream(upstream),
            { Stream: { } stream } => new ResponsesStreamResult(stream, frame(stream.CallId), time),
            _ => new ResponsesResult(outcome.Result!, frame(outcome.Result!.CallId)),
        };
    }
}
