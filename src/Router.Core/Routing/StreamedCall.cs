using System.Diagnostics;
using System.Text;
using Router.Core.Catalog;
using Router.Core.Ledger;
using Router.Core.Models;
using Router.Core.Telemetry;

namespace Router.Core.Routing;

/// <summary>
/// One streamed call in flight. <see cref="ReadAsync"/> relays the model's updates as they
/// arrive; whichever way the stream ends (done, upstream failure, deadline, caller gone,
/// reader stopped early) the call is recorded exactly once. When the model's usage chunk
/// never arrived, input tokens are estimated from the prompt and output tokens counted from
/// the streamed text with <see cref="TokenCounter"/>, and the record says so (UsageEstimated).
/// </summary>
public sealed class StreamedCall : IAsyncDisposable
{
    private readonly RouteRequest _request;
    private readonly BuiltPrompt _prompt;
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationToken _callerToken;
    private readonly ICallLedger _ledger;
    private readonly Distillation.Samples.ISampleCapture _samples;
    private readonly TokenCounter _tokens;
    private readonly TimeProvider _time;
    private readonly long _upstreamStarted;
    private readonly StringBuilder _text = new();
    private IAsyncEnumerator<ChatStreamUpdate>? _updates;
    private bool _hasFirst;
    private bool _reading;
    private int _recorded;
    private double? _ttftMs;
    private ModelCallException? _failure;
    private string? _responseModel;
    private Activity? _span;
    private bool _captureContent;

    internal StreamedCall(RouteRequest request, RouteTarget route, CatalogModel model, BuiltPrompt prompt, string callId, string? fallbackReason, CancellationTokenSource deadline, ICallLedger ledger, Distillation.Samples.ISampleCapture samples, TokenCounter tokens, TimeProvider time, CancellationToken callerToken)
    {
        _request = request;
        Route = route;
        Model = model;
        _prompt = prompt;
        CallId = callId;
        FallbackReason = fallbackReason;
        _deadline = deadline;
        _callerToken = callerToken;
        _ledger = ledger;
        _samples = samples;
        _tokens = tokens;
        _time = time;
        _upstreamStarted = time.GetTimestamp();
    }

    public string CallId { get; }

    public RouteTarget Route { get; }

    public CatalogModel Model { get; }

    public bool Fallback => FallbackReason is not null;

    public string? FallbackReason { get; }

    /// <summary>The usage the model reported; null until its last chunk arrived.</summary>
    public TokenUsage? Usage { get; private set; }

    public string? FinishReason { get; private set; }

    /// <summary>The record written when the stream ended; null before.</summary>
    public CallRecord? Record { get; private set; }

    public async IAsyncEnumerable<ChatStreamUpdate> ReadAsync()
    {
        if (_updates is null || _reading)
        {
            throw new InvalidOperationException("The stream is not open, or is already being read.");
        }

        _reading = true;
        var completed = false;
        try
        {
            if (_hasFirst)
            {
                Observe(_updates.Current);
                yield return _updates.Current;
                while (true)
                {
                    ChatStreamUpdate update;
                    try
                    {
                        if (!await _updates.MoveNextAsync())
                        {
                            break;
                        }

                        update = _updates.Current;
                    }
                    catch (ModelCallException failure)
                    {
                        _failure = failure;
                        throw;
                    }
                    catch (OperationCanceledException) when (_deadline.IsCancellationRequested && !_callerToken.IsCancellationRequested)
                    {
                        _failure = new ModelCallException(UpstreamFailureKind.Timeout, Model.Name, $"Model '{Model.Name}' did not finish streaming within the router's deadline.");
                        throw _failure;
                    }

                    Observe(update);
                    yield return update;
                }
            }

            completed = true;
        }
        finally
        {
            Finish(completed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Finish(completed: false);
        if (_updates is not null)
        {
            await _updates.DisposeAsync();
        }

        _deadline.Dispose();
    }

    /// <summary>The client span of the model call; ended with the stream.</summary>
    internal void Trace(Activity? span, bool captureContent)
    {
        _span = span;
        _captureContent = captureContent;
    }

    internal void Start(IAsyncEnumerator<ChatStreamUpdate> updates, bool hasFirst)
    {
        _updates = updates;
        _hasFirst = hasFirst;
    }

    /// <summary>
    /// Records an attempt that failed before its first update and returns the failure to
    /// surface (null: the caller left, rethrow the cancellation). An attempt that will be
    /// escalated to the large model is recorded under "{callId}-small" with status escalated.
    /// </summary>
    internal ModelCallException? FailBeforeFirstUpdate(Exception exception, bool escalate, TimeSpan deadline)
    {
        _failure = exception switch
        {
            ModelCallException failure => failure,
            OperationCanceledException when _deadline.IsCancellationRequested && !_callerToken.IsCancellationRequested =>
                new ModelCallException(UpstreamFailureKind.Timeout, Model.Name, $"Model '{Model.Name}' did not answer within the router's deadline of {deadline.TotalSeconds:0} s."),
            _ => null,
        };
        if (escalate && _failure is not null)
        {
            Write(CallId + "-small", CallStatus.Escalated, reason: $"small model failed: {_failure.Kind}", fallback: false);
            Interlocked.Exchange(ref _recorded, 1);
        }
        else
        {
            Finish(completed: false);
        }

        return _failure;
    }

    private void Observe(ChatStreamUpdate update)
    {
        if (update.ContentDelta is { Length: > 0 } text)
        {
            _ttftMs ??= _time.GetElapsedTime(_upstreamStarted).TotalMilliseconds;
            _text.Append(text);
        }

        if (update.FinishReason is not null)
        {
            FinishReason = update.FinishReason;
        }

        if (update.Usage is { } usage)
        {
            Usage = usage;
        }

        _responseModel ??= update.ResponseModel;
    }

    private void Finish(bool completed)
    {
        if (Interlocked.Exchange(ref _recorded, 1) == 1)
        {
            return;
        }

        var status = completed ? CallStatus.Ok : _failure is not null ? CallStatus.UpstreamError : CallStatus.ClientAborted;
        Write(CallId, status, FallbackReason, Fallback);
        if (status == CallStatus.Ok && Route == RouteTarget.Large)
        {
            // A finished large-model stream is as good a training example as a non-streamed answer
            // (the capture checks the output rules and the sampling rate itself).
            _samples.Offer(_request, CallId, Model.Name, _text.ToString());
        }
    }

    private void Write(string callId, string status, string? reason, bool fallback)
    {
        var estimated = Usage is null;
        var usage = Usage ?? new TokenUsage(EstimateInputTokens(), 0, _tokens.Count(_text.ToString()));
        if (_failure is not null && Usage is null && _text.Length == 0)
        {
            // Failed before the model produced anything: no tokens to bill, nothing to estimate.
            usage = default;
            estimated = false;
        }

        var split = InputTokenSplit.Allocate(usage.Input, _prompt);
        var cost = CostCalculator.Cost(usage, Model.Prices);
        var totalMs = _time.GetElapsedTime(_request.StartTimestamp).TotalMilliseconds;
        var upstreamMs = _time.GetElapsedTime(_upstreamStarted).TotalMilliseconds;
        var record = new CallRecord
        {
            CallId = callId,
            RequestId = CallId,
            Timestamp = _time.GetUtcNow(),
            Task = _request.Task.Name,
            Route = Route.ToWire(),
            Model = Model.Name,
            Deployment = Model.Deployment,
            Client = _request.Client.Name,
            Api = _request.Api,
            Status = status,
            HttpStatus = status switch
            {
                CallStatus.ClientAborted => 499,
                CallStatus.UpstreamError or CallStatus.Escalated when _failure is not null => _failure.HttpStatus,
                _ => 200,
            },
            Error = _failure?.Message,
            InputTokens = usage.Input,
            SystemTokens = split.System,
            ExamplesTokens = split.Examples,
            ContextTokens = split.Context,
            CallerTokens = split.Caller,
            CachedInputTokens = usage.CachedInput,
            OutputTokens = usage.Output,
            CostUsd = cost,
            PriceVersion = Model.Prices.Version,
            TotalMs = totalMs,
            UpstreamMs = upstreamMs,
            OverheadMs = Math.Max(0, totalMs - upstreamMs),
            TimeToFirstTokenMs = _ttftMs,
            Streamed = true,
            Fallback = fallback,
            FallbackReason = reason,
            OutputViolation = status == CallStatus.Ok ? _request.Task.Output.Check(_text.ToString()) : null,
            UsageEstimated = estimated && (usage.Input > 0 || usage.Output > 0),
            PromptVersion = _request.Task.PromptVersion,
        };
        if (callId == CallId)
        {
            Record = record;
        }

        _ledger.Enqueue(record);
        var errorType = _failure is { } failure ? ErrorTypes.Of(failure.Kind) : status == CallStatus.ClientAborted ? ErrorTypes.Cancelled : null;
        RouterMeasurements.RecordModelCall(record, Model, _responseModel, errorType, upstreamMs);
        if (errorType is null)
        {
            RouterActivities.ModelCallSucceeded(_span, new ChatModelResponse(_text.ToString(), FinishReason, usage, _responseModel), cost, _captureContent);
        }
        else
        {
            RouterActivities.ModelCallFailed(_span, errorType, _failure?.Message);
        }

        _span?.Dispose();
        _span = null;
    }

    /// <summary>The OpenAI cookbook chat formula (3 per message + role + content, 3 to prime the reply), with the same tokenizer the models use.</summary>
    private int EstimateInputTokens() =>
        3 + _prompt.Messages.Sum(m => 3 + _tokens.Count(m.Role) + _tokens.Count(m.Content));
}
