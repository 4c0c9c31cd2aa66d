using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Catalog;
using Router.Core.Distillation.Samples;
using Router.Core.Ledger;
using Router.Core.Models;
using Router.Core.Telemetry;

namespace Router.Core.Routing;

/// <summary>
/// The flow of one call after validation: build the prompt for the task's target, call the
/// model, check the answer, cascade a failed small-model answer to the large model, price
/// every model call and hand one record per model call to the ledger.
/// </summary>
public sealed partial class RouteExecutor(
    PromptBuilder prompts,
    ChatModelRegistry models,
    ICallLedger ledger,
    ISampleCapture samples,
    TimeProvider time,
    IOptions<RouterOptions> options,
    ILogger<RouteExecutor> logger)
{
    private readonly TimeSpan _deadline = options.Value.RequestTimeout;
    private readonly bool _captureContent = options.Value.Telemetry.CaptureContent;

    public Task<RouteResult> ExecuteAsync(RouteRequest request, CancellationToken cancellationToken) =>
        RouterActivities.TraceRouteAsync(request, () => ExecuteUntracedAsync(request, cancellationToken));

    private async Task<RouteResult> ExecuteUntracedAsync(RouteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var task = request.Task;
        var callId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_deadline);

        var upstreamMs = 0d;
        decimal escalatedCost = 0;
        string? fallbackReason = null;

        if (task.Route == RouteTarget.Small)
        {
            var small = await AttemptAsync(request, RouteTarget.Small, callId, deadline.Token, cancellationToken);
            upstreamMs += small.UpstreamMs;
            if (small.Failure is null)
            {
                var violation = task.Output.Check(small.Response!.Text);
                if (violation is null || !task.CascadeToLarge)
                {
                    return Complete(request, callId, RouteTarget.Small, small, upstreamMs, 0, fallback: false, fallbackReason: null, outputViolation: violation);
                }

                fallbackReason = violation;
            }
            else if (!task.CascadeToLarge || cancellationToken.IsCancellationRequested)
            {
                Record(request, callId, RouteTarget.Small, small, upstreamMs, fallback: false, fallbackReason: null);
                throw small.Failure;
            }
            else
            {
                fallbackReason = $"small model failed: {small.Failure.Kind}";
            }

            // The small attempt is a model call of its own: recorded once, under its own id, with why it escalated.
            escalatedCost = small.CostUsd;
            Record(request, callId + "-small", RouteTarget.Small, small, small.UpstreamMs, fallback: false, fallbackReason: fallbackReason, requestId: callId, status: CallStatus.Escalated, outputViolation: small.Failure is null ? fallbackReason : null);
            LogEscalated(logger, task.Name, fallbackReason);
        }

        var large = await AttemptAsync(request, RouteTarget.Large, callId, deadline.Token, cancellationToken);
        upstreamMs += large.UpstreamMs;
        if (large.Failure is not null)
        {
            Record(request, callId, RouteTarget.Large, large, upstreamMs, fallback: fallbackReason is not null, fallbackReason);
            throw large.Failure;
        }

        samples.Offer(request, callId, large.Model.Name, large.Response!.Text);
        // The large answer is served whatever it says; whether it broke the rules is recorded (the report's prompt step counts it).
        return Complete(request, callId, RouteTarget.Large, large, upstreamMs, escalatedCost, fallback: fallbackReason is not null, fallbackReason, task.Output.Check(large.Response.Text));
    }

    private RouteResult Complete(RouteRequest request, string callId, RouteTarget route, Attempt attempt, double upstreamMs, decimal escalatedCost, bool fallback, string? fallbackReason, string? outputViolation)
    {
        var record = Record(request, callId, route, attempt, upstreamMs, fallback, fallbackReason, outputViolation: outputViolation);
        return new RouteResult(
            callId,
            request.Task,
            route,
            attempt.Model,
            attempt.Response!,
            attempt.Split,
            attempt.CostUsd,
            attempt.CostUsd + escalatedCost,
            new LatencyBreakdown(record.TotalMs, upstreamMs, record.OverheadMs),
            fallback,
            fallbackReason);
    }

    private async Task<Attempt> AttemptAsync(RouteRequest request, RouteTarget target, string callId, CancellationToken deadlineToken, CancellationToken callerToken)
    {
        var task = request.Task;
        var (model, prompt, modelRequest) = PlannedCall.For(request, target, prompts);

        using var span = RouterActivities.StartModelCall(request, target, model, modelRequest, _captureContent);
        var started = time.GetTimestamp();
        try
        {
            var response = await models.Get(model.Name).CompleteAsync(modelRequest, deadlineToken);
            var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
            var split = InputTokenSplit.Allocate(response.Usage.Input, prompt);
            var cost = CostCalculator.Cost(response.Usage, model.Prices);
            RouterActivities.ModelCallSucceeded(span, response, cost, _captureContent);
            return new Attempt(model, prompt, response, split, cost, elapsed, null);
        }
        catch (OperationCanceledException) when (deadlineToken.IsCancellationRequested && !callerToken.IsCancellationRequested)
        {
            var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
            var failure = new ModelCallException(UpstreamFailureKind.Timeout, model.Name, $"Model '{model.Name}' did not answer within the router's deadline of {_deadline.TotalSeconds:0} s.");
            RouterActivities.ModelCallFailed(span, ErrorTypes.Of(failure.Kind), failure.Message);
            return new Attempt(model, prompt, null, default, 0, elapsed, failure);
        }
        catch (OperationCanceledException) when (callerToken.IsCancellationRequested)
        {
            // The caller went away: record what is known (no usage came back), once, then let the cancellation surface.
            var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
            RouterActivities.ModelCallFailed(span, ErrorTypes.Cancelled);
            Record(request, callId, target, new Attempt(model, prompt, null, default, 0, elapsed, null), elapsed, false, null, status: CallStatus.ClientAborted);
            throw;
        }
        catch (ModelCallException failure)
        {
            var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
            LogUpstreamFailure(logger, task.Name, model.Name, failure.Kind, failure.Message);
            RouterActivities.ModelCallFailed(span, ErrorTypes.Of(failure.Kind), failure.Message);
            return new Attempt(model, prompt, null, default, 0, elapsed, failure);
        }
    }

    private CallRecord Record(RouteRequest request, string callId, RouteTarget route, Attempt attempt, double upstreamMs, bool fallback, string? fallbackReason, string? requestId = null, string? status = null, string? outputViolation = null)
    {
        var totalMs = time.GetElapsedTime(request.StartTimestamp).TotalMilliseconds;
        var usage = attempt.Response?.Usage ?? default;
        var record = new CallRecord
        {
            CallId = callId,
            RequestId = requestId ?? callId,
            Timestamp = time.GetUtcNow(),
            Task = request.Task.Name,
            Route = route.ToWire(),
            Model = attempt.Model.Name,
            Deployment = attempt.Model.Deployment,
            Client = request.Client.Name,
            Api = request.Api,
            Status = status ?? (attempt.Failure is null ? CallStatus.Ok : CallStatus.UpstreamError),
            HttpStatus = attempt.Failure?.HttpStatus ?? (status == CallStatus.ClientAborted ? 499 : 200),
            Error = attempt.Failure?.Message,
            InputTokens = usage.Input,
            SystemTokens = attempt.Split.System,
            ExamplesTokens = attempt.Split.Examples,
            ContextTokens = attempt.Split.Context,
            CallerTokens = attempt.Split.Caller,
            CachedInputTokens = usage.CachedInput,
            OutputTokens = usage.Output,
            CostUsd = attempt.CostUsd,
            PriceVersion = attempt.Model.Prices.Version,
            TotalMs = totalMs,
            UpstreamMs = upstreamMs,
            OverheadMs = Math.Max(0, totalMs - upstreamMs),
            Fallback = fallback,
            FallbackReason = fallbackReason,
            OutputViolation = outputViolation,
            PromptVersion = request.Task.PromptVersion,
        };
        ledger.Enqueue(record);
        RecordMetrics(record, attempt);
        return record;
    }

    private static void RecordMetrics(CallRecord record, Attempt attempt) =>
        RouterMeasurements.RecordModelCall(record, attempt.Model, attempt.Response?.ResponseModel, attempt.Failure is { } f ? ErrorTypes.Of(f.Kind) : record.Status == CallStatus.ClientAborted ? ErrorTypes.Cancelled : null, attempt.UpstreamMs);

    private sealed record Attempt(CatalogModel Model, BuiltPrompt Prompt, ChatModelResponse? Response, InputTokenSplit Split, decimal CostUsd, double UpstreamMs, ModelCallException? Failure);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Task {Task}: small-model answer escalated to the large model ({Reason})")]
    private static partial void LogEscalated(ILogger logger, string task, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Task {Task}: model {Model} failed ({Kind}): {Cause}")]
    private static partial void LogUpstreamFailure(ILogger logger, string task, string model, UpstreamFailureKind kind, string cause);
}
