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
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/chat/completions")] HttpRequest req) => CompleteAsync(req, null);

    /// <summary>Azure OpenAI's v1 layout (<c>/openai/v1/chat/completions</c>): the same call, <c>model</c> names the task.</summary>
    [Function("AzureV1ChatCompletions")]
    public Task<IActionResult> RunAzureV1([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openai/v1/chat/completions")] HttpRequest req) => CompleteAsync(req, null);

    /// <summary>
    /// Azure OpenAI's deployment path, as AzureOpenAI / AzureOpenAIClient call it: the deployment
    /// is the task, the key comes in <c>api-key</c>, and <c>api-version</c> must be one Router accepts.
    /// </summary>
    [Function("AzureChatCompletions")]
    public async Task<IActionResult> RunAzureDeployment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openai/deployments/{task}/chat/completions")] HttpRequest req, string task)
    {
        ArgumentNullException.ThrowIfNull(req);
        return await CompleteAsync(req, task);
    }

    private async Task<IActionResult> CompleteAsync(HttpRequest req, string? deployment)
    {
        ArgumentNullException.ThrowIfNull(req);
        var started = time.GetTimestamp();
        // The key is checked first (401/403), then the body; the deployment path's api-version is checked with the body.
        var read = await reader.ReadAsync(req, options.Value.MaxRequestBodyBytes, root => deployment is not null && AzureApiVersions.Check(req) is { } badVersion ? (null, badVersion) : ChatCompletionRequestParser.Parse(root, deployment), taskParameter: deployment is null ? "model" : "deployment");
        if (read.Error is not null)
        {
            // Azure names an unknown deployment DeploymentNotFound; the OpenAI paths say model_not_found.
            return deployment is not null && read.Error.Code == "model_not_found"
                ? new OpenAiErrorResult(StatusCodes.Status404NotFound, $"The API deployment '{deployment}' does not exist: deployments are the router's tasks (GET /api/openai/v1/models).", "invalid_request_error", null, "DeploymentNotFound")
                : OpenAiErrorResult.From(read.Error);
        }

        var (client, request, task) = (read.Client!, read.Value!, read.Task!);
        var outcome = await flow.SendAsync(
            new RouteRequest(task, client, request.Messages, null, request.MaxOutputTokens, request.Temperature, Api, started) 
            {
                Stream = request.Stream,
                Sampling = request.Sampling,
                Tools = request.Tools,
                ToolChoice = request.ToolChoice,
                Format = request.Format,
                Metadata = request.Metadata,
            },
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
