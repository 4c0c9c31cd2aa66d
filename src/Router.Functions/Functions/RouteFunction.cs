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

namespace Router.Functions.Functions;

/// <summary>POST /api/route: the native call. Thin: authenticate, parse, hand to <see cref="RouteExecutor"/>, shape the answer.</summary>
public sealed class RouteFunction(CallerRequestReader reader, RouteExecutor executor, IOptions<RouterOptions> options, TimeProvider time)
{
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
        RouteResult result;
        try
        {
            result = await executor.ExecuteAsync(
                new RouteRequest(task, client, [new CallerMessage("user", request.Input)], request.Context, request.MaxOutputTokens, request.Temperature, "route", started),
                req.HttpContext.RequestAborted);
        }
        catch (ModelCallException failure)
        {
            return Problem.Create(failure.HttpStatus, "Upstream model failed", failure.Message, retryAfter: failure.RetryAfter ?? (failure.HttpStatus == 503 ? TimeSpan.FromSeconds(1) : null));
        }
        catch (OperationCanceledException) when (req.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller left; the executor recorded the call. Nothing to send.
            return new EmptyResult();
        }

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
        RouterHeaders.Apply(response, result);
        return response;
    }
}
