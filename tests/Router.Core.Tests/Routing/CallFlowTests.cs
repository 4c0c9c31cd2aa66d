using Router.Core.Ledger;
using Router.Core.Models;
using Router.Core.Routing;

namespace Router.Core.Tests.Routing;

/// <summary>
/// The flow's core rules, with in-memory models, a capturing ledger and a fake clock: no model
/// is reached over HTTP and no test waits for real time to pass.
/// </summary>
public sealed class CallFlowTests
{
    private static readonly TokenUsage SmallUsage = new(120, 0, 2);
    private static readonly TokenUsage LargeUsage = new(400, 100, 3);

    [Fact]
    public async Task SendAsync_SmallAnswerBreaksLabels_RecordsEscalatedSmallAndServedLargeWithReason()
    {
        var harness = new FlowHarness();
        harness.Small.Answers("maybe a refund?", SmallUsage);
        harness.Large.Answers("billing", LargeUsage);

        var outcome = await harness.Flow.SendAsync(harness.Request("triage"), CancellationToken.None);

        var result = Assert.IsType<RouteResult>(outcome.Result);
        Assert.Equal(RouteTarget.Large, result.Route);
        Assert.True(result.Fallback);
        Assert.Equal(2, harness.Ledger.Records.Count);
        var small = harness.Ledger.Records[0];
        var large = harness.Ledger.Records[1];
        Assert.Equal(result.CallId + "-small", small.CallId);
        Assert.Equal(result.CallId, small.RequestId);
        Assert.Equal(CallStatus.Escalated, small.Status);
        Assert.Equal("output is not one of the allowed labels", small.FallbackReason);
        Assert.False(small.Fallback);
        Assert.Equal("output is not one of the allowed labels", small.OutputViolation);
        Assert.Equal(((120 * 0.30m) + (2 * 1.20m)) / 1_000_000m, small.CostUsd);
        Assert.Equal(result.CallId, large.CallId);
        Assert.Equal(CallStatus.Ok, large.Status);
        Assert.True(large.Fallback);
        Assert.Equal("output is not one of the allowed labels", large.FallbackReason);
        Assert.Equal(((300 * 2.50m) + (100 * 1.25m) + (3 * 10.00m)) / 1_000_000m, large.CostUsd);
        Assert.Equal(small.CostUsd + large.CostUsd, result.TotalCostUsd);
        Assert.Equal([result.CallId], harness.Samples.Offered);
    }

    [Fact]
    public async Task SendAsync_SmallAnswerBelowConfidenceThreshold_EscalatesWithReasonLowConfidence()
    {
        var harness = new FlowHarness();
        harness.Small.Classifies("bug", confidence: 0.49);
        harness.Large.Answers("billing", LargeUsage);

        var outcome = await harness.Flow.SendAsync(harness.Request("triage"), CancellationToken.None);

        var result = Assert.IsType<RouteResult>(outcome.Result);
        Assert.Equal(("billing", RouteTarget.Large, "low-confidence"), (result.Response.Text, result.Route, result.FallbackReason));
        var small = Assert.Single(harness.Ledger.Records, r => r.Status == CallStatus.Escalated);
        Assert.Equal(CallFlow.LowConfidence, small.FallbackReason);
        Assert.Null(small.OutputViolation);
        Assert.Equal((0, 0, 0m), (small.InputTokens, small.OutputTokens, small.CostUsd));
    }

    [Fact]
    public async Task SendAsync_SmallAnswerAtConfidenceThreshold_IsServed()
    {
        var harness = new FlowHarness();
        harness.Small.Classifies("bug", confidence: 0.5);

        var outcome = await harness.Flow.SendAsync(harness.Request("triage"), CancellationToken.None);

        var result = Assert.IsType<RouteResult>(outcome.Result);
        Assert.Equal(("bug", RouteTarget.Small, false), (result.Response.Text, result.Route, result.Fallback));
        Assert.Single(harness.Ledger.Records);
    }

    [Fact]
    public async Task SendAsync_SmallModelFails_EscalationReasonNamesTheFailure()
    {
        var harness = new FlowHarness();
        harness.Small.Fails(UpstreamFailureKind.Unavailable);
        harness.Large.Answers("bug", LargeUsage);

        var outcome = await harness.Flow.SendAsync(harness.Request("triage"), CancellationToken.None);

        Assert.NotNull(outcome.Result);
        var small = Assert.Single(harness.Ledger.Records, r => r.Status == CallStatus.Escalated);
        Assert.Equal("small model failed: Unavailable", small.FallbackReason);
        Assert.Equal(503, small.HttpStatus);
        Assert.Null(small.OutputViolation);
        Assert.Equal(0m, small.CostUsd);
        Assert.Equal("small model failed: Unavailable", Assert.Single(harness.Ledger.Records, r => r.Status == CallStatus.Ok).FallbackReason);
    }

    [Fact]
    public async Task SendAsync_SmallAnswerBreaksLabelsWithoutCascade_ServesSmallInOneRow()
    {
        var harness = new FlowHarness(cascade: false);
        harness.Small.Answers("maybe", SmallUsage);

        var outcome = await harness.Flow.SendAsync(harness.Request("triage"), CancellationToken.None);

        Assert.Equal(RouteTarget.Small, outcome.Result!.Route);
        var row = Assert.Single(harness.Ledger.Records);
        Assert.Equal(CallStatus.Ok, row.Status);
        Assert.Equal("output is not one of the allowed labels", row.OutputViolation);
        Assert.Empty(harness.Large.Requests);
        Assert.Empty(harness.Samples.Offered);
    }

    [Fact]
    public async Task SendAsync_ModelTakesTime_RecordSplitsUpstreamFromOverheadByTheClock()
    {
        var harness = new FlowHarness();
        var request = harness.Request("notes");
        harness.Time.Advance(TimeSpan.FromMilliseconds(3)); // parsing, before the flow
        harness.Large.Answers("Notes: fine.", LargeUsage, during: () => harness.Time.Advance(TimeSpan.FromMilliseconds(40)));

        var outcome = await harness.Flow.SendAsync(request, CancellationToken.None);

        var row = Assert.Single(harness.Ledger.Records);
        Assert.Equal(40, row.UpstreamMs, 6);
        Assert.Equal(43, row.TotalMs, 6);
        Assert.Equal(3, row.OverheadMs, 6);
        Assert.Equal(new LatencyBreakdown(43, 40, 3), outcome.Result!.Latency);
        Assert.Equal(harness.Time.GetUtcNow(), row.Timestamp);
    }

    [Fact]
    public async Task SendAsync_DeadlinePasses_RecordsOneTimeoutRowAndReturnsTheFailure()
    {
        var harness = new FlowHarness();
        harness.Large.Hangs();

        var sending = harness.Flow.SendAsync(harness.Request("notes"), CancellationToken.None);
        Assert.False(sending.IsCompleted);
        harness.Time.Advance(FlowHarness.Deadline);
        var outcome = await sending;

        var failure = Assert.IsType<ModelCallException>(outcome.Failure?.Upstream);
        Assert.Equal(UpstreamFailureKind.Timeout, failure.Kind);
        Assert.Equal(504, failure.HttpStatus);
        var row = Assert.Single(harness.Ledger.Records);
        Assert.Equal(CallStatus.UpstreamError, row.Status);
        Assert.Equal(504, row.HttpStatus);
        Assert.Equal("Model 'large' did not answer within the router's deadline of 30 s.", row.Error);
        Assert.Equal(30_000, row.UpstreamMs, 6);
        Assert.Equal(0m, row.CostUsd);
    }

    [Fact]
    public async Task SendAsync_DeadlineBeforeDeadlinePasses_DoesNotFire()
    {
        var harness = new FlowHarness();
        harness.Large.Hangs();
        using var caller = new CancellationTokenSource();

        var sending = harness.Flow.SendAsync(harness.Request("notes"), caller.Token);
        harness.Time.Advance(FlowHarness.Deadline - TimeSpan.FromMilliseconds(1));
        Assert.False(sending.IsCompleted);
        await caller.CancelAsync();
        var outcome = await sending;

        Assert.True(outcome.Failure!.CallerLeft);
        var row = Assert.Single(harness.Ledger.Records);
        Assert.Equal(CallStatus.ClientAborted, row.Status);
        Assert.Equal(499, row.HttpStatus);
    }

    [Fact]
    public async Task SendAsync_ClientAbortsMidStream_RecordsOneRowWithTheTokensSoFar()
    {
        var harness = new FlowHarness();
        harness.Large.Streams(["Notes: the ", "parcel was late"], usage: null, hangAfter: true);
        using var caller = new CancellationTokenSource();
        var request = harness.Request("notes", stream: true);

        var outcome = await harness.Flow.SendAsync(request, caller.Token);
        var stream = Assert.IsType<StreamedCall>(outcome.Stream);
        var received = new List<string>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in stream.ReadAsync())
            {
                received.Add(update.ContentDelta!);
                if (received.Count == 2)
                {
                    await caller.CancelAsync();
                }
            }
        });
        await stream.DisposeAsync();

        var row = Assert.Single(harness.Ledger.Records);
        Assert.Equal(CallStatus.ClientAborted, row.Status);
        Assert.Equal(499, row.HttpStatus);
        Assert.True(row.Streamed);
        Assert.True(row.UsageEstimated);
        Assert.Equal(harness.Tokens.Count("Notes: the parcel was late"), row.OutputTokens);
        var expectedInput = 3 + PlannedCall.For(request, RouteTarget.Large, new PromptBuilder(harness.Tokens)).Prompt.Messages.Sum(m => 3 + harness.Tokens.Count(m.Role) + harness.Tokens.Count(m.Content));
        Assert.Equal(expectedInput, row.InputTokens);
        Assert.Equal(((row.InputTokens * 2.50m) + (row.OutputTokens * 10.00m)) / 1_000_000m, row.CostUsd);
        Assert.NotNull(row.TimeToFirstTokenMs);
        Assert.Same(row, stream.Record);
    }

    [Fact]
    public async Task SendAsync_StreamReadToTheEnd_RecordsOnceWithTheModelsUsage()
    {
        var harness = new FlowHarness();
        harness.Large.Streams(["Notes: ", "all good"], LargeUsage);

        var outcome = await harness.Flow.SendAsync(harness.Request("notes", stream: true), CancellationToken.None);
        await using (var stream = outcome.Stream!)
        {
            await foreach (var _ in stream.ReadAsync())
            {
            }

            Assert.Equal(harness.Ledger.Records[0].CostUsd, stream.FinalCostUsd);
        }

        var row = Assert.Single(harness.Ledger.Records);
        Assert.Equal(CallStatus.Ok, row.Status);
        Assert.False(row.UsageEstimated);
        Assert.Equal(LargeUsage.Output, row.OutputTokens);
        Assert.Single(harness.Samples.Offered);
    }

    [Fact]
    public async Task SendAsync_DeadlinePassesMidStream_RecordsOneTimeoutRow()
    {
        var harness = new FlowHarness();
        harness.Large.Streams(["Notes: ", "so far"], usage: null, hangAfter: true);

        var outcome = await harness.Flow.SendAsync(harness.Request("notes", stream: true), CancellationToken.None);
        await using var stream = outcome.Stream!;
        var failure = await Assert.ThrowsAsync<ModelCallException>(async () =>
        {
            await foreach (var update in stream.ReadAsync())
            {
                if (update.ContentDelta == "so far")
                {
                    harness.Time.Advance(FlowHarness.Deadline);
                }
            }
        });

        Assert.Equal(UpstreamFailureKind.Timeout, failure.Kind);
        var row = Assert.Single(harness.Ledger.Records);
        Assert.Equal(CallStatus.UpstreamError, row.Status);
        Assert.Equal(504, row.HttpStatus);
        Assert.Equal("Model 'large' did not finish streaming within the router's deadline.", row.Error);
        Assert.True(row.UsageEstimated);
        Assert.Equal(harness.Tokens.Count("Notes: so far"), row.OutputTokens);
    }

    [Fact]
    public async Task SendAsync_StreamOnSmallRouteWhoseModelFails_RecordsEscalatedThenStreamsLarge()
    {
        var harness = new FlowHarness();
        // "triage" has labels, so its streams are buffered; a route without rules streams live.
        var request = harness.Request("triage", stream: true) with { Task = harness.Request("triage").Task with { Output = OutputRule.None } };
        harness.Small.StreamFails(UpstreamFailureKind.BadGateway);
        harness.Large.Streams(["billing"], LargeUsage);

        var outcome = await harness.Flow.SendAsync(request, CancellationToken.None);
        await using (var stream = Assert.IsType<StreamedCall>(outcome.Stream))
        {
            Assert.Equal(RouteTarget.Large, stream.Route);
            Assert.True(stream.Fallback);
            await foreach (var _ in stream.ReadAsync())
            {
            }
        }

        Assert.Equal(2, harness.Ledger.Records.Count);
        var small = harness.Ledger.Records[0];
        Assert.Equal(CallStatus.Escalated, small.Status);
        Assert.Equal("small model failed: BadGateway", small.FallbackReason);
        Assert.Equal(502, small.HttpStatus);
        Assert.True(small.Streamed);
        var large = harness.Ledger.Records[1];
        Assert.Equal(CallStatus.Ok, large.Status);
        Assert.True(large.Fallback);
        Assert.Equal(small.RequestId, large.CallId);
    }

    [Fact]
    public async Task SendAsync_StreamOnCheckedSmallRoute_FlowBuffersChecksAndCascades()
    {
        var harness = new FlowHarness();
        harness.Small.Answers("not a label", SmallUsage);
        harness.Large.Answers("billing", LargeUsage);

        var outcome = await harness.Flow.SendAsync(harness.Request("triage", stream: true), CancellationToken.None);

        var buffered = Assert.IsType<BufferedAnswer>(outcome.Stream);
        Assert.Equal(buffered.Result.TotalCostUsd, buffered.KnownCostUsd);
        var text = new List<string?>();
        await foreach (var update in buffered.ReadAsync())
        {
            text.Add(update.ContentDelta);
        }

        Assert.Equal(["billing", null], text);
        Assert.Equal(2, harness.Ledger.Records.Count);
        Assert.All(harness.Ledger.Records, r => Assert.False(r.Streamed));
        Assert.Single(harness.Small.Requests);
    }

    [Fact]
    public async Task SendAsync_LargeFails_RecordsOneFailedRowAndReturnsTheFailure()
    {
        var harness = new FlowHarness();
        harness.Large.Fails(UpstreamFailureKind.RateLimited);

        var outcome = await harness.Flow.SendAsync(harness.Request("notes"), CancellationToken.None);

        Assert.Equal(UpstreamFailureKind.RateLimited, outcome.Failure!.Upstream!.Kind);
        var row = Assert.Single(harness.Ledger.Records);
        Assert.Equal(CallStatus.UpstreamError, row.Status);
        Assert.Equal(503, row.HttpStatus);
        Assert.Empty(harness.Samples.Offered);
    }

    [Fact]
    public async Task SendAsync_Served_ObserverHearsOnceAfterTheRecordWithThePlan()
    {
        var observer = new RecordingObserver();
        var harness = new FlowHarness(true, observer);
        harness.Large.Answers("Notes: fine.", LargeUsage);
        harness.Large.Fails(UpstreamFailureKind.BadGateway);

        var outcome = await harness.Flow.SendAsync(harness.Request("notes"), CancellationToken.None);
        await harness.Flow.SendAsync(harness.Request("notes"), CancellationToken.None);

        var served = Assert.Single(observer.Served);
        Assert.Equal(outcome.Result!.CallId, served.CallId);
        Assert.Equal("Notes: fine.", served.Output);
        Assert.Equal("large", served.Plan.Model.Name);
        Assert.Same(harness.Ledger.Records[0], served.Record);
    }

    [Fact]
    public void Shadow_RecordOfACandidate_HasItsOwnIdAndStatusShadow()
    {
        var harness = new FlowHarness();
        var request = harness.Request("triage");
        var attempt = new ModelAttempt(RouteTarget.Small, PlannedCall.For(request, RouteTarget.Small, new PromptBuilder(harness.Tokens)), harness.Time.GetTimestamp(), streamed: false);
        attempt.Answered(new ChatModelResponse("Notes.", "stop", SmallUsage, null), 12);

        var record = harness.Records.Shadow(request, "req1", attempt);

        Assert.Equal("req1-shadow-" + attempt.Model.Name, record.CallId);
        Assert.Equal("req1", record.RequestId);
        Assert.Equal(CallStatus.Shadow, record.Status);
        Assert.False(record.Fallback);
        Assert.Equal(attempt.CostUsd, record.CostUsd);
    }

    private sealed class RecordingObserver : ICallObserver
    {
        public List<ServedCall> Served { get; } = [];

        public void AfterServed(ServedCall served) => Served.Add(served);
    }
}
