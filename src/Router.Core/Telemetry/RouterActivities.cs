using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Router.Core.Catalog;
using Router.Core.Models;
using Router.Core.Routing;

namespace Router.Core.Telemetry;

/// <summary>
/// The spans of a routed call, so call sites stay one line each: a server span per routed
/// call (<c>route {task}</c>) and a client span per model call (<c>chat {deployment}</c>) with the
/// OpenTelemetry GenAI attributes. Prompt and output text go in only when content capture is on.
/// </summary>
public static class RouterActivities
{
    public static Activity? StartRoute(RouteRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var span = RouterTelemetry.ActivitySource.StartActivity("route " + request.Task.Name, ActivityKind.Server);
        if (span is null)
        {
            return null;
        }

        span.SetTag(GenAiAttributes.OperationName, GenAiAttributes.ChatOperation);
        span.SetTag(GenAiAttributes.Task, request.Task.Name);
        span.SetTag(GenAiAttributes.Client, request.Client.Name);
        span.SetTag(GenAiAttributes.Api, request.Api);
        span.SetTag(GenAiAttributes.RequestModel, request.Task.ModelFor(request.Task.Route).Deployment);
        return span;
    }

    /// <summary>Marks the server span with the flow's outcome: the answer (or the opened stream) or the failure.</summary>
    public static void RouteEnded(Activity? span, string callId, CallOutcome outcome)
    {
        if (span is null || outcome is null)
        {
            return;
        }

        span.SetTag(GenAiAttributes.CallId, callId);
        if (outcome.Failure is { } failure)
        {
            var errorType = failure.Upstream is { } upstream ? ErrorTypes.Of(upstream.Kind) : ErrorTypes.Cancelled;
            span.SetTag(GenAiAttributes.ErrorType, errorType);
            // The message names models and statuses, never caller text (ModelCallException is written that way).
            span.SetStatus(ActivityStatusCode.Error, failure.Upstream?.Message ?? errorType);
            return;
        }

        if (outcome.Result is { } result)
        {
            RouteSucceeded(span, result);
            return;
        }

        var stream = outcome.Stream!;
        span.SetTag(GenAiAttributes.Route, stream.Route.ToWire());
        span.SetTag(GenAiAttributes.Fallback, stream.Fallback);
        span.SetStatus(ActivityStatusCode.Ok);
    }

    private static void RouteSucceeded(Activity span, RouteResult result)
    {

        span.SetTag(GenAiAttributes.CallId, result.CallId);
        span.SetTag(GenAiAttributes.Route, result.Route.ToWire());
        span.SetTag(GenAiAttributes.Fallback, result.Fallback);
        span.SetTag(GenAiAttributes.CostUsd, (double)result.TotalCostUsd);
        span.SetTag(GenAiAttributes.ResponseModel, result.Response.ResponseModel ?? result.Model.Deployment);
        span.SetTag(GenAiAttributes.InputTokens, result.Response.Usage.Input);
        span.SetTag(GenAiAttributes.OutputTokens, result.Response.Usage.Output);
        span.SetStatus(ActivityStatusCode.Ok);
    }

    /// <summary>Starts the client span of one model call: <c>chat {deployment}</c>.</summary>
    public static Activity? StartModelCall(RouteRequest request, RouteTarget target, CatalogModel model, ChatModelRequest modelRequest, bool captureContent)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(modelRequest);
        var span = RouterTelemetry.ActivitySource.StartActivity(GenAiAttributes.ChatOperation + " " + model.Deployment, ActivityKind.Client);
        if (span is null)
        {
            return null;
        }

        span.SetTag(GenAiAttributes.OperationName, GenAiAttributes.ChatOperation);
        span.SetTag(GenAiAttributes.ProviderName, ProviderName(model.Kind));
        span.SetTag(GenAiAttributes.RequestModel, model.Deployment);
        span.SetTag(GenAiAttributes.ServerAddress, model.Endpoint.Host);
        span.SetTag(GenAiAttributes.ServerPort, model.Endpoint.Port);
        if (modelRequest.MaxOutputTokens is { } max)
        {
            span.SetTag(GenAiAttributes.RequestMaxTokens, max);
        }

        span.SetTag(GenAiAttributes.Task, request.Task.Name);
        span.SetTag(GenAiAttributes.Route, target.ToWire());
        span.SetTag(GenAiAttributes.Client, request.Client.Name);
        if (captureContent)
        {
            span.SetTag(GenAiAttributes.InputMessages, InputMessagesJson(modelRequest.Messages));
        }

        return span;
    }

    public static void ModelCallSucceeded(Activity? span, ChatModelResponse response, decimal costUsd, bool captureContent)
    {
        if (span is null || response is null)
        {
            return;
        }

        span.SetTag(GenAiAttributes.ResponseModel, response.ResponseModel);
        span.SetTag(GenAiAttributes.InputTokens, response.Usage.Input);
        span.SetTag(GenAiAttributes.OutputTokens, response.Usage.Output);
        if (response.FinishReason is { } finish)
        {
            span.SetTag(GenAiAttributes.ResponseFinishReasons, new[] { finish.ToLowerInvariant() });
        }

        span.SetTag(GenAiAttributes.CostUsd, (double)costUsd);
        if (captureContent)
        {
            span.SetTag(GenAiAttributes.OutputMessages, OutputMessageJson(response));
        }
    }

    public static void ModelCallFailed(Activity? span, string errorType, string? description = null)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag(GenAiAttributes.ErrorType, errorType);
        span.SetStatus(ActivityStatusCode.Error, description ?? errorType);
    }

    public static string ProviderName(ModelKind kind) =>
        kind == ModelKind.AzureOpenAI ? GenAiAttributes.AzureOpenAIProvider : GenAiAttributes.OpenAIProvider;

    private static string InputMessagesJson(IReadOnlyList<PromptMessage> messages) =>
        JsonSerializer.Serialize(messages.Select(m => new Dictionary<string, object>
        {
            ["role"] = m.Role,
            ["parts"] = new[] { new Dictionary<string, string> { ["type"] = "text", ["content"] = m.Content } },
        }));

    private static string OutputMessageJson(ChatModelResponse response) =>
        JsonSerializer.Serialize(new[]
        {
            new Dictionary<string, object>
            {
                ["role"] = "assistant",
                ["parts"] = new[] { new Dictionary<string, string> { ["type"] = "text", ["content"] = response.Text } },
                ["finish_reason"] = (response.FinishReason ?? "stop").ToLower(CultureInfo.InvariantCulture),
            },
        });
}
