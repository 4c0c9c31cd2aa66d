using Router.Core.Distillation.Samples;
using Router.Core.Ledger;
using Router.Core.Models;
using Router.Core.Telemetry;

namespace Router.Core.Routing;

/// <summary>
/// Step "record" of the flow, for streamed and non-streamed calls alike: hands the record to
/// the ledger, records the metrics from the same record, ends the model call's span; and, for
/// the attempt that served the caller, offers a large-model answer as a training example and
/// tells the <see cref="ICallObserver"/>s.
/// </summary>
public sealed class CallRecorder(ICallLedger ledger, ISampleCapture samples, IEnumerable<ICallObserver> observers, Microsoft.Extensions.Options.IOptions<Catalog.RouterOptions> options)
{
    private readonly ICallObserver[] _observers = [.. observers];
    private readonly bool _captureContent = options.Value.Telemetry.CaptureContent;

    public bool CaptureContent => _captureContent;

    public void Commit(CallRecord record, ModelAttempt attempt, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(attempt);
        ledger.Enqueue(record);
        var errorType = attempt.Failure is { } failure ? ErrorTypes.Of(failure.Kind) : attempt.CallerLeft ? ErrorTypes.Cancelled : null;
        RouterMeasurements.RecordModelCall(record, attempt.Model, attempt.ResponseModel, errorType, attempt.UpstreamMs);
        if (attempt.Span is { } span)
        {
            if (errorType is null)
            {
                var response = attempt.Response ?? new ChatModelResponse(output ?? string.Empty, null, attempt.Usage, attempt.ResponseModel);
                RouterActivities.ModelCallSucceeded(span, response, attempt.CostUsd, _captureContent);
            }
            else
            {
                RouterActivities.ModelCallFailed(span, errorType, attempt.Failure?.Message);
            }

            span.Dispose();
            attempt.Span = null;
        }
    }

    /// <summary>Commits the record of the attempt whose answer the caller got, then the after-served work.</summary>
    /// <param name="toolCalls">The functions the answer called (empty for a plain answer): a training example keeps them.</param>
    public void Served(RouteRequest request, CallRecord record, ModelAttempt attempt, string output, IReadOnlyList<ToolCall> toolCalls)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(attempt);
        Commit(record, attempt, output);
        if (attempt.Target == RouteTarget.Large)
        {
            // The capture checks the output rules and the sampling rate itself; tools and tool calls are kept in the
            // fine-tuning format (tools beside messages), so a distilled model learns to call them too.
            samples.Offer(request, record.CallId, attempt.Model.Name, output, toolCalls);
        }

        if (_observers.Length == 0)
        {
            return;
        }

        var served = new ServedCall(request, attempt, output, record);
        foreach (var observer in _observers)
        {
            observer.AfterServed(served);
        }
    }
}
