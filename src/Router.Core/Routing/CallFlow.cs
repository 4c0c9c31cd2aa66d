using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Catalog;
using Router.Core.Models;
using Router.Core.Telemetry;

namespace Router.Core.Routing;

/// <summary>
/// The one flow every call API goes through (native /api/route, OpenAI chat completions, and
/// any API added later), modelled on YARP's HttpForwarder.SendAsync: one entry method, numbered
/// steps, and failures returned as values (<see cref="CallOutcome"/>) rather than exceptions
/// crossing layers. The function before it parsed the request once into a
/// <see cref="RouteRequest"/>; the function after it writes the outcome once.
/// <code>
///   (1) deadline and call id for the whole request
///   (2) plan: target (the task's route), prompt, upstream request   -- PlannedCall
///   (3) call: buffered, or streamed when the caller asked to stream and no
///       output rule must be checked before the caller sees the answer
///   (4) validate / cascade: a small-model answer that fails or breaks the rules goes to large
///   (5) price: billed tokens x the deployment's prices              -- ModelAttempt.Price
///   (6) record: one row per model call                              -- CallRecordFactory, CallRecorder
///   (7) after served: training sample, ICallObserver               -- CallRecorder.Served
/// </code>
/// A stream is opened here (its first update read, so a failing model is still a status, and a
/// failing small model still cascades); <see cref="StreamedCall"/> relays the rest and does
/// steps 5-7 when it ends.
/// </summary>
public sealed partial class CallFlow(
    PromptBuilder prompts,
    ChatModelRegistry models,
    CallRecordFactory records,
    CallRecorder recorder,
    TokenCounter tokens,
    TimeProvider time,
    IOptions<RouterOptions> options,
    ILogger<CallFlow> logger)
{
    /// <summary>Why a local classifier's answer went to the large model: its confidence was below the task's threshold.</summary>
    public const string LowConfidence = "low-confidence";

    private readonly TimeSpan _deadline = options.Value.RequestTimeout;

    /// <summary>
    /// Buffering is the flow's decision: a small route whose answers are checked and cascaded is
    /// answered whole (then replayed to a streaming caller); everything else streams as it comes.
    /// </summary>
    public static bool MustBuffer(CatalogTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Route == RouteTarget.Small && task.CascadeToLarge && (task.Output.Labels.Count > 0 || task.Output.RequiresJson);
    }

    /// <summary>As <see cref="MustBuffer(CatalogTask)"/>, and a caller's format on such a route is a rule to check before the first byte too.</summary>
    public static bool MustBuffer(RouteRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var task = request.Task;
        return MustBuffer(task) || (task.Route == RouteTarget.Small && task.CascadeToLarge && request.Format is not null);
    }

    public async Task<CallOutcome> SendAsync(RouteRequest request, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(request);

        // :: Step 1: one id and one deadline for the whole request (every attempt, cascade included).
        var callId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var deadline = new CallDeadline(time, _deadline, aborted);
        using var span = RouterActivities.StartRoute(request);
        CallOutcome? outcome = null;
        try
        {
            // :: Step 3 decides buffered or streamed; steps 2-7 run inside each.
            outcome = request.Stream && !MustBuffer(request)
                ? await StreamAsync(request, callId, deadline).ConfigureAwait(false)
                : await CompleteAsync(request, callId, deadline).ConfigureAwait(false);
        }
        finally
        {
            // A live stream owns the deadline until it ends; every other outcome is finished here.
            if (outcome?.Stream is not StreamedCall)
            {
                deadline.Dispose();
            }
        }

        if (request.Stream && outcome.Result is { } buffered)
        {
            outcome = CallOutcome.Streaming(new BufferedAnswer(buffered));
        }

        RouterActivities.RouteEnded(span, callId, outcome);
        return outcome;
    }

    private async Task<CallOutcome> CompleteAsync(RouteRequest request, string callId, CallDeadline deadline)
    {
        var task = request.Task;
        var upstreamMs = 0d;
        decimal escalatedCost = 0;
        string? fallbackReason = null;

        if (task.Route == RouteTarget.Small)
        {
            var small = await AttemptAsync(request, RouteTarget.Small, deadline).ConfigureAwait(false);
            upstreamMs += small.UpstreamMs;
            if (small.CallerLeft)
            {
                recorder.Commit(records.Aborted(request, callId, small, upstreamMs, null), small);
                return CallOutcome.CallerLeft;
            }

            if (small.Failure is null)
            {
                // :: Step 4: validate the small model's answer against the task's output rules and the caller's format, and its confidence (a local classifier's) against the task's threshold.
                var violation = AnswerCheck.Violation(request, small.Response!);
                var unsure = violation is null && small.Response!.Confidence < task.ConfidenceThreshold;
                if ((violation is null && !unsure) || !task.CascadeToLarge)
                {
                    return Serve(request, callId, small, upstreamMs, 0, null, violation);
                }

                fallbackReason = violation ?? LowConfidence;
            }
            else if (!task.CascadeToLarge || deadline.CallerLeft)
            {
                recorder.Commit(records.Failed(request, callId, small, upstreamMs, null), small);
                return CallOutcome.Failed(small.Failure);
            }
            else
            {
                fallbackReason = CallRecordFactory.EscalationReason(small.Failure);
            }

            // :: Step 4: cascade. The small attempt is a model call of its own: recorded once, with why it escalated.
            escalatedCost = small.CostUsd;
            recorder.Commit(records.Escalated(request, callId, small, fallbackReason, small.Failure is null ? AnswerCheck.Violation(request, small.Response!) : null), small);
            LogEscalated(logger, task.Name, fallbackReason);
        }

        var large = await AttemptAsync(request, RouteTarget.Large, deadline).ConfigureAwait(false);
        upstreamMs += large.UpstreamMs;
        if (large.CallerLeft)
        {
            recorder.Commit(records.Aborted(request, callId, large, upstreamMs, fallbackReason), large);
            return CallOutcome.CallerLeft;
        }

        if (large.Failure is not null)
        {
            recorder.Commit(records.Failed(request, callId, large, upstreamMs, fallbackReason), large);
            return CallOutcome.Failed(large.Failure);
        }

        // The large answer is served whatever it says; whether it broke the rules is recorded (the report's prompt step counts it).
        return Serve(request, callId, large, upstreamMs, escalatedCost, fallbackReason, AnswerCheck.Violation(request, large.Response!));
    }

    /// <summary>Steps 6-7 for the attempt that answered; the result carries what the function writes.</summary>
    private CallOutcome Serve(RouteRequest request, string callId, ModelAttempt attempt, double upstreamMs, decimal escalatedCost, string? fallbackReason, string? outputViolation)
    {
        var response = attempt.Response!;
        var record = records.Served(request, callId, attempt, upstreamMs, fallbackReason, outputViolation);
        recorder.Served(request, record, attempt, response.Text, response.ToolCalls);
        return CallOutcome.Answered(new RouteResult(
            callId,
            request.Task,
            attempt.Target,
            attempt.Model,
            response,
            attempt.Split,
            attempt.CostUsd,
            attempt.CostUsd + escalatedCost,
            new LatencyBreakdown(record.TotalMs, upstreamMs, record.OverheadMs),
            fallbackReason is not null,
            fallbackReason));
    }

    /// <summary>Steps 2, 3 and 5 of one non-streamed model call. Never throws for a model failure, the deadline or the caller leaving.</summary>
    private async Task<ModelAttempt> AttemptAsync(RouteRequest request, RouteTarget target, CallDeadline deadline)
    {
        var attempt = Plan(request, target, streamed: false);
        try
        {
            var response = await models.Get(attempt.Model.Name).CompleteAsync(attempt.Plan.Request, deadline.Token).ConfigureAwait(false);
            attempt.Answered(response, Elapsed(attempt));
        }
        catch (OperationCanceledException) when (deadline.Expired)
        {
            attempt.Failed(CallRecordFactory.DeadlineExceeded(attempt.Model.Name, _deadline, midStream: false), Elapsed(attempt));
        }
        catch (OperationCanceledException) when (deadline.CallerLeft)
        {
            attempt.Left(Elapsed(attempt));
        }
        catch (ModelCallException failure)
        {
            LogUpstreamFailure(logger, request.Task.Name, attempt.Model.Name, failure.Kind, failure.Message);
            attempt.Failed(failure, Elapsed(attempt));
        }

        return attempt;
    }

    /// <summary>
    /// Steps 2-3 of a streamed call: opens the stream and waits for its first update, so that a
    /// model failing before its first byte is still an error status, and a small route with
    /// CascadeToLarge still moves to the large model.
    /// </summary>
    private async Task<CallOutcome> StreamAsync(RouteRequest request, string callId, CallDeadline deadline)
    {
        var task = request.Task;
        var target = task.Route;
        string? fallbackReason = null;
        var upstreamMs = 0d;
        while (true)
        {
            var attempt = Plan(request, target, streamed: true);
            var updates = models.Get(attempt.Model.Name).StreamAsync(attempt.Plan.Request, deadline.Token).GetAsyncEnumerator(deadline.Token);
            try
            {
                var hasFirst = await updates.MoveNextAsync().ConfigureAwait(false);
                return CallOutcome.Streaming(new StreamedCall(request, callId, attempt, fallbackReason, upstreamMs, updates, hasFirst, deadline, records, recorder, tokens, time));
            }
            catch (Exception ex) when (ex is ModelCallException or OperationCanceledException)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
                if (ex is OperationCanceledException && deadline.CallerLeft)
                {
                    attempt.Left(Elapsed(attempt));
                    recorder.Commit(records.Aborted(request, callId, attempt, upstreamMs + attempt.UpstreamMs, fallbackReason), attempt);
                    return CallOutcome.CallerLeft;
                }

                var failure = ex as ModelCallException ?? CallRecordFactory.DeadlineExceeded(attempt.Model.Name, _deadline, midStream: false);
                attempt.Failed(failure, Elapsed(attempt));
                upstreamMs += attempt.UpstreamMs;
                LogUpstreamFailure(logger, task.Name, attempt.Model.Name, failure.Kind, failure.Message);
                if (target == RouteTarget.Small && task.CascadeToLarge && ex is ModelCallException && !deadline.Token.IsCancellationRequested)
                {
                    // :: Step 4: cascade before the first byte.
                    fallbackReason = CallRecordFactory.EscalationReason(failure);
                    recorder.Commit(records.Escalated(request, callId, attempt, fallbackReason), attempt);
                    LogEscalated(logger, task.Name, fallbackReason);
                    target = RouteTarget.Large;
                    continue;
                }

                recorder.Commit(records.Failed(request, callId, attempt, upstreamMs, fallbackReason), attempt);
                return CallOutcome.Failed(failure);
            }
        }
    }

    private ModelAttempt Plan(RouteRequest request, RouteTarget target, bool streamed)
    {
        // :: Step 2: the same plan for streamed and non-streamed calls.
        var plan = PlannedCall.For(request, target, prompts);
        var attempt = new ModelAttempt(target, plan, time.GetTimestamp(), streamed)
        {
            Span = RouterActivities.StartModelCall(request, target, plan.Model, plan.Request, recorder.CaptureContent),
        };
        return attempt;
    }

    private double Elapsed(ModelAttempt attempt) => time.GetElapsedTime(attempt.StartedTimestamp).TotalMilliseconds;

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Task {Task}: small-model answer escalated to the large model ({Reason})")]
    private static partial void LogEscalated(ILogger logger, string task, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Task {Task}: model {Model} failed ({Kind}): {Cause}")]
    private static partial void LogUpstreamFailure(ILogger logger, string task, string model, UpstreamFailureKind kind, string cause);
}
