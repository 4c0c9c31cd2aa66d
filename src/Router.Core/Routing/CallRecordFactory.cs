using Router.Core.Ledger;
using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>
/// The one place a <see cref="CallRecord"/> is built, for every way a model call ends: served,
/// escalated (the small attempt of a cascade, under "{requestId}-small"), failed (upstream error
/// or the router's deadline), client-aborted, and shadow. It also owns the wording of timeouts
/// and escalations, so the ledger, the caller's error and the logs say the same thing.
/// </summary>
public sealed class CallRecordFactory(TimeProvider time)
{
    public const string EscalatedSuffix = "-small";

    /// <summary>Why a failed small-model call went to the large model.</summary>
    public static string EscalationReason(ModelCallException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return $"small model failed: {failure.Kind}";
    }

    /// <summary>The router's deadline passed before the model answered (or, for a stream, before it finished).</summary>
    public static ModelCallException DeadlineExceeded(string model, TimeSpan deadline, bool midStream) =>
        new(UpstreamFailureKind.Timeout, model, midStream
            ? $"Model '{model}' did not finish streaming within the router's deadline."
            : $"Model '{model}' did not answer within the router's deadline of {deadline.TotalSeconds:0} s.");

    /// <summary>
    /// The attempt that answered the caller. <paramref name="upstreamMs"/> sums every attempt of the request;
    /// <paramref name="outputViolation"/> says which rule a served answer broke (served anyway: the large model's, an uncascaded small one's, or a stream's).
    /// </summary>
    public CallRecord Served(RouteRequest request, string callId, ModelAttempt attempt, double upstreamMs, string? fallbackReason, string? outputViolation = null) =>
        Build(request, callId, callId, attempt, CallStatus.Ok, 200, upstreamMs, fallbackReason, outputViolation);

    /// <summary>The small attempt of a cascade: recorded once under its own id, with why it escalated (and the rule it broke, when it answered).</summary>
    public CallRecord Escalated(RouteRequest request, string requestId, ModelAttempt attempt, string reason, string? outputViolation = null) =>
        Build(request, requestId + EscalatedSuffix, requestId, attempt, CallStatus.Escalated, attempt?.Failure?.HttpStatus ?? 200, attempt?.UpstreamMs ?? 0, reason, outputViolation, fallback: false);

    /// <summary>An upstream failure or the router's deadline: the caller gets the failure's 502/503/504.</summary>
    public CallRecord Failed(RouteRequest request, string callId, ModelAttempt attempt, double upstreamMs, string? fallbackReason) =>
        Build(request, callId, callId, attempt, CallStatus.UpstreamError, attempt?.Failure?.HttpStatus ?? 502, upstreamMs, fallbackReason, null);

    /// <summary>The caller left: what is known (for a stream, the tokens so far), with 499.</summary>
    public CallRecord Aborted(RouteRequest request, string callId, ModelAttempt attempt, double upstreamMs, string? fallbackReason) =>
        Build(request, callId, callId, attempt, CallStatus.ClientAborted, 499, upstreamMs, fallbackReason, null);

    /// <summary>
    /// A shadow call made after the caller's answer (request <paramref name="requestId"/>), to
    /// compare <paramref name="attempt"/>'s model: its own id (per candidate, as two candidates may
    /// share a model), status shadow, never the caller's answer; <paramref name="evaluation"/> says
    /// how its answer compared.
    /// </summary>
    public CallRecord Shadow(RouteRequest request, string requestId, ModelAttempt attempt, ShadowEvaluation? evaluation = null)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var name = evaluation?.Candidate ?? attempt.Model.Name;
        name = evaluation?.Judge == true ? name + "-judge" : name;
        return Build(request, requestId + "-shadow-" + name, requestId, attempt, CallStatus.Shadow, attempt.Failure?.HttpStatus ?? 200, attempt.UpstreamMs, null, null, fallback: false) with { Shadow = evaluation };
    }

    private CallRecord Build(RouteRequest request, string callId, string requestId, ModelAttempt? attempt, string status, int httpStatus, double upstreamMs, string? fallbackReason, string? outputViolation, bool? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(attempt);
        var totalMs = time.GetElapsedTime(request.StartTimestamp).TotalMilliseconds;
        var usage = attempt.Usage;
        var split = attempt.Split;
        var model = attempt.Model;
        return new CallRecord
        {
            CallId = callId,
            RequestId = requestId,
            Timestamp = time.GetUtcNow(),
            Task = request.Task.Name,
            Route = attempt.Target.ToWire(),
            Model = model.Name,
            Deployment = model.Deployment,
            Client = request.Client.Name,
            Api = request.Api,
            Metadata = request.Metadata,
            Status = status,
            HttpStatus = httpStatus,
            Error = attempt.Failure?.Message,
            InputTokens = usage.Input,
            SystemTokens = split.System,
            ExamplesTokens = split.Examples,
            ContextTokens = split.Context,
            CallerTokens = split.Caller,
            CachedInputTokens = usage.CachedInput,
            OutputTokens = usage.Output,
            CostUsd = attempt.CostUsd,
            PriceVersion = model.Prices.Version,
            TotalMs = totalMs,
            UpstreamMs = upstreamMs,
            OverheadMs = Math.Max(0, totalMs - upstreamMs),
            TimeToFirstTokenMs = attempt.TimeToFirstTokenMs,
            Streamed = attempt.Streamed,
            Fallback = fallback ?? fallbackReason is not null,
            FallbackReason = fallbackReason,
            OutputViolation = outputViolation,
            UsageEstimated = attempt.UsageEstimated,
            PromptVersion = request.Task.PromptVersion,
        };
    }
}
