using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Catalog;
using Router.Core.Ledger;
using Router.Core.Models;
using Router.Core.Telemetry;

namespace Router.Core.Routing;

/// <summary>
/// The streaming flow of one call. <see cref="OpenAsync"/> builds the prompt, opens the
/// upstream stream and waits for its first update, so that a failing model is still an
/// error status (and, for a small route with CascadeToLarge, a fallback to the large model)
/// before any byte reaches the caller. The returned <see cref="StreamedCall"/> relays the
/// rest and records the call exactly once, however it ends.
/// Output rules cannot cascade a stream the caller has already read: callers that need the
/// rules enforced use the non-streaming flow (the OpenAI endpoint does this for small
/// routes with rules); a streamed answer that breaks them is flagged in its record.
/// </summary>
public sealed partial class RouteStreamExecutor(
    PromptBuilder prompts,
    ChatModelRegistry models,
    ICallLedger ledger,
    Distillation.Samples.ISampleCapture samples,
    TokenCounter tokens,
    TimeProvider time,
    IOptions<RouterOptions> options,
    ILogger<RouteStreamExecutor> logger)
{
    private readonly TimeSpan _deadline = options.Value.RequestTimeout;
    private readonly bool _captureContent = options.Value.Telemetry.CaptureContent;

    public async Task<StreamedCall> OpenAsync(RouteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var task = request.Task;
        var callId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_deadline);
        try
        {
            if (task.Route == RouteTarget.Small)
            {
                try
                {
                    return await OpenTargetAsync(request, RouteTarget.Small, callId, deadline, fallbackReason: null, cancellationToken);
                }
                catch (ModelCallException failure) when (task.CascadeToLarge && !cancellationToken.IsCancellationRequested && !deadline.IsCancellationRequested)
                {
                    var reason = $"small model failed: {failure.Kind}";
                    LogEscalated(logger, task.Name, reason);
                    return await OpenTargetAsync(request, RouteTarget.Large, callId, deadline, reason, cancellationToken);
                }
            }

            return await OpenTargetAsync(request, RouteTarget.Large, callId, deadline, fallbackReason: null, cancellationToken);
        }
        catch
        {
            deadline.Dispose();
            throw;
        }
    }

    private async Task<StreamedCall> OpenTargetAsync(RouteRequest request, RouteTarget target, string callId, CancellationTokenSource deadline, string? fallbackReason, CancellationToken callerToken)
    {
        var task = request.Task;
        var (model, prompt, modelRequest) = PlannedCall.For(request, target, prompts);

        var stream = new StreamedCall(request, target, model, prompt, callId, fallbackReason, deadline, ledger, samples, tokens, time, callerToken);
        stream.Trace(RouterActivities.StartModelCall(request, target, model, modelRequest, _captureContent), _captureContent);
        var updates = models.Get(model.Name).StreamAsync(modelRequest, deadline.Token).GetAsyncEnumerator(deadline.Token);
        bool hasFirst;
        try
        {
            hasFirst = await updates.MoveNextAsync();
        }
        catch (Exception ex) when (ex is ModelCallException or OperationCanceledException)
        {
            await updates.DisposeAsync();
            var escalate = target == RouteTarget.Small && task.CascadeToLarge && ex is ModelCallException && !callerToken.IsCancellationRequested && !deadline.IsCancellationRequested;
            var failure = stream.FailBeforeFirstUpdate(ex, escalate, _deadline);
            if (failure is null)
            {
                throw;
            }

            LogUpstreamFailure(logger, task.Name, model.Name, failure.Kind, failure.Message);
            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }

        stream.Start(updates, hasFirst);
        return stream;
    }

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Task {Task}: streamed call moved from the small to the large model ({Reason})")]
    private static partial void LogEscalated(ILogger logger, string task, string reason);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Task {Task}: model {Model} failed before streaming ({Kind}): {Cause}")]
    private static partial void LogUpstreamFailure(ILogger logger, string task, string model, UpstreamFailureKind kind, string cause);
}
