using System.Text;
using Router.Core.Catalog;
using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>
/// One streamed call in flight, opened by <see cref="CallFlow"/> with its first update already
/// read. <see cref="ReadAsync"/> relays the model's updates as they arrive; whichever way the
/// stream ends (done, upstream failure, deadline, caller gone, reader stopped early) the call is
/// priced and recorded exactly once, through the same factory and recorder as a non-streamed
/// call. When the model's usage never arrived, input tokens are estimated from the prompt and
/// output tokens counted from the streamed text with <see cref="TokenCounter"/> (UsageEstimated).
/// </summary>
public sealed class StreamedCall : IStreamedAnswer
{
    private readonly RouteRequest _request;
    private readonly ModelAttempt _attempt;
    private readonly CallDeadline _deadline;
    private readonly CallRecordFactory _records;
    private readonly CallRecorder _recorder;
    private readonly TokenCounter _tokens;
    private readonly TimeProvider _time;
    private readonly double _earlierUpstreamMs;
    private readonly IAsyncEnumerator<ChatStreamUpdate> _updates;
    private readonly bool _hasFirst;
    private readonly StringBuilder _text = new();
    private readonly ToolCallAssembler _toolCalls = new();
    private TokenUsage? _usage;
    private bool _reading;
    private int _recorded;

    internal StreamedCall(RouteRequest request, string callId, ModelAttempt attempt, string? fallbackReason, double earlierUpstreamMs, IAsyncEnumerator<ChatStreamUpdate> updates, bool hasFirst, CallDeadline deadline, CallRecordFactory records, CallRecorder recorder, TokenCounter tokens, TimeProvider time)
    {
        _request = request;
        CallId = callId;
        _attempt = attempt;
        FallbackReason = fallbackReason;
        _earlierUpstreamMs = earlierUpstreamMs;
        _updates = updates;
        _hasFirst = hasFirst;
        _deadline = deadline;
        _records = records;
        _recorder = recorder;
        _tokens = tokens;
        _time = time;
    }

    public string CallId { get; }

    public RouteTarget Route => _attempt.Target;

    public CatalogModel Model => _attempt.Model;

    public bool Fallback => FallbackReason is not null;

    public string? FallbackReason { get; }

    public decimal? KnownCostUsd => null;

    public decimal? FinalCostUsd => Record?.CostUsd;

    /// <summary>The record written when the stream ended; null before.</summary>
    public Ledger.CallRecord? Record { get; private set; }

    public async IAsyncEnumerable<ChatStreamUpdate> ReadAsync()
    {
        if (_reading)
        {
            throw new InvalidOperationException("The stream is already being read.");
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
                        if (!await _updates.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }

                        update = _updates.Current;
                    }
                    catch (ModelCallException failure)
                    {
                        _attempt.Failed(failure, Elapsed());
                        throw;
                    }
                    catch (OperationCanceledException) when (_deadline.Expired)
                    {
                        var failure = CallRecordFactory.DeadlineExceeded(Model.Name, _deadline.Limit, midStream: true);
                        _attempt.Failed(failure, Elapsed());
                        throw failure;
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
        await _updates.DisposeAsync().ConfigureAwait(false);
        _deadline.Dispose();
    }

    private void Observe(ChatStreamUpdate update)
    {
        if (update.ContentDelta is { Length: > 0 } text)
        {
            _attempt.TimeToFirstTokenMs ??= Elapsed();
            _text.Append(text);
        }

        foreach (var call in update.ToolCalls)
        {
            _attempt.TimeToFirstTokenMs ??= Elapsed();
            _toolCalls.Add(call);
        }

        if (update.Usage is { } usage)
        {
            _usage = usage;
        }

        _attempt.ResponseModel ??= update.ResponseModel;
    }

    private double Elapsed() => _time.GetElapsedTime(_attempt.StartedTimestamp).TotalMilliseconds;

    private void Finish(bool completed)
    {
        if (Interlocked.Exchange(ref _recorded, 1) == 1)
        {
            return;
        }

        var text = _text.ToString();
        var upstreamMs = Elapsed();
        if (_attempt.Failure is null && !completed)
        {
            _attempt.Left(upstreamMs);
        }
        else
        {
            _attempt.Ended(upstreamMs);
        }

        // Step "price": the model's usage, else a local estimate of what was sent and streamed so far;
        // a call that failed before producing anything bills nothing.
        if (_usage is { } reported)
        {
            _attempt.Price(reported, estimated: false);
        }
        else if (_attempt.Failure is not null && text.Length == 0 && _toolCalls.IsEmpty)
        {
            _attempt.Price(default, estimated: false);
        }
        else
        {
            _attempt.Price(new TokenUsage(EstimateInputTokens(), 0, _tokens.Count(text) + _tokens.Count(_toolCalls.Text())), estimated: true);
        }

        // Step "record".
        var totalUpstreamMs = _earlierUpstreamMs + upstreamMs;
        if (completed)
        {
            // A streamed answer the caller already has cannot be cascaded: a broken rule is flagged in the record.
            Record = _records.Served(_request, CallId, _attempt, totalUpstreamMs, FallbackReason, AnswerCheck.Violation(_request, text, !_toolCalls.IsEmpty));
            _recorder.Served(_request, Record, _attempt, text, _toolCalls.Calls());
        }
        else
        {
            Record = _attempt.Failure is not null
                ? _records.Failed(_request, CallId, _attempt, totalUpstreamMs, FallbackReason)
                : _records.Aborted(_request, CallId, _attempt, totalUpstreamMs, FallbackReason);
            _recorder.Commit(Record, _attempt, text);
        }
    }

    /// <summary>The OpenAI cookbook chat formula (3 per message + role + content, 3 to prime the reply), with the same tokenizer the models use.</summary>
    private int EstimateInputTokens()
    {
        var total = 3;
        foreach (var message in _attempt.Plan.Prompt.Messages)
        {
            total += 3 + _tokens.Count(message.Role) + _tokens.Count(message.Content);
        }

        return total;
    }
}
