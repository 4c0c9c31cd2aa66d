using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Router.Core.Catalog;
using Router.Core.Routing;
using Router.Functions.Api;
using Router.Functions.Http;

namespace Router.Functions.Functions;

/// <summary>POST /api/route: the native call. Thin: read and parse once, hand to <see cref="CallFlow"/>, write its outcome.</summary>
public sealed class RouteFunction(CallerRequestReader reader, CallFlow flow, IOptions<RouterOptions> options, TimeProvider time)
{
    public const string Api = "route";

    [Function("Route")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "route")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        var started = time.GetTimestamp();
        var read = await reader.ReadAsync(req, options.Value.MaxRequestBodyBytes, NativeRouteRequestParser.Parse, taskParameter: "task");
        if (read.Error is not null)
        {
            return RequestAuthentication.ToProblem(read.Error);
        }

        var (client, request, task) = (read.Client!, read.Value!, read.Task!);
        var outcome = await flow.SendAsync(
            new RouteRequest(task, client, [new CallerMessage("user", request.Input)], request.Context, request.MaxOutputTokens, request.Temperature, Api, started),
            req.HttpContext.RequestAborted);
        if (outcome.Failure is { } failure)
        {
            // The caller left: the flow recorded the call, there is no one to answer.
            return failure.Upstream is { } upstream
                ? Problem.Create(upstream.HttpStatus, "Upstream model failed", upstream.Message, retryAfter: upstream.RetryAfter ?? (upstream.HttpStatus == 503 ? TimeSpan.FromSeconds(1) : null))
                : new EmptyResult();
        }

        var result = outcome.Result!;
        var usage = result.Response.Usage;
        var split = result.InputSplit;
        var body = new NativeRouteResponse(
            result.Response.Text,
            task.Name,
            result.Route.ToWire(),
            result.Model.Name,
            result.Model.Deployment,
            new UsageBody(usage.Input, usage.CachedInput, usage.Output, usage.Total, split.System, split.Examples, split.Context, split.Caller),
            result.TotalCostUsd,
            new LatencyBody(Math.Round(result.Latency.TotalMs, 3), Math.Round(result.Latency.UpstreamMs, 3), Math.Round(result.Latency.OverheadMs, 3)),
            result.CallId,
            task.PromptVersion,
            result.Fallback,
            result.FallbackReason);
        var response = new JsonBodyResult(body);
        RouterHeaders.Apply(response.Headers, result);
        return response;
    }
}
