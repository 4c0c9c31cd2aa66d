using Microsoft.Extensions.Time.Testing;
using Router.Core.Ledger;

namespace Router.Core.Tests.Ledger;

public sealed class RollupAggregatorTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 59, 58, TimeSpan.Zero);

    [Fact]
    public void TakeDirty_CallsAcrossAnHourBoundary_TwoRowsWithAbsoluteTotals()
    {
        var time = new FakeTimeProvider(Start);
        var aggregator = new RollupAggregator("i1");
        aggregator.Add(LedgerRecords.Call(time.GetUtcNow(), "a", totalMs: 3));
        time.Advance(TimeSpan.FromSeconds(1)); // 09:59:59.000
        aggregator.Add(LedgerRecords.Call(time.GetUtcNow(), "b", totalMs: 700, status: CallStatus.UpstreamError));
        time.Advance(TimeSpan.FromSeconds(1)); // 10:00:00.000 belongs to the next hour
        aggregator.Add(LedgerRecords.Call(time.GetUtcNow(), "c", fallback: true, promptVersion: "v2"));

        var rows = aggregator.TakeDirty().OrderBy(r => r.Hour).ToList();

        Assert.Equal(2, rows.Count);
        var nine = rows[0];
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero), nine.Hour);
        Assert.Equal(("i1", 2L, 1L, 0L), (nine.Instance, nine.Calls, nine.Errors, nine.Fallbacks));
        Assert.Equal((200L, 80L, 60L, 20L, 40L, 10L, 14L), (nine.InputTokens, nine.SystemTokens, nine.ExamplesTokens, nine.ContextTokens, nine.CallerTokens, nine.CachedInputTokens, nine.OutputTokens));
        Assert.Equal(2 * 123_457L, nine.CostNanoUsd);
        Assert.Equal(703, nine.LatencySumMs, 9);
        Assert.Equal(1, nine.LatencyBuckets[LatencyHistogram.BucketOf(3)]);
        Assert.Equal(1, nine.LatencyBuckets[LatencyHistogram.BucketOf(700)]);
        var ten = rows[1];
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero), ten.Hour);
        Assert.Equal((1L, 1L, "v2"), (ten.Calls, ten.Fallbacks, ten.PromptVersion));
    }

    [Fact]
    public void TakeDirty_AfterMoreCalls_ReturnsRunningTotalsNotDeltas()
    {
        var aggregator = new RollupAggregator("i1");
        aggregator.Add(LedgerRecords.Call(Start, "a"));
        Assert.Equal(1, Assert.Single(aggregator.TakeDirty()).Calls);
        Assert.Empty(aggregator.TakeDirty());

        aggregator.Add(LedgerRecords.Call(Start, "b", status: CallStatus.Escalated));

        var row = Assert.Single(aggregator.TakeDirty());
        Assert.Equal((2L, 1L), (row.Calls, row.Escalations));
    }

    [Fact]
    public void MarkDirty_AfterFailedWrite_RowIsWrittenAgain()
    {
        var aggregator = new RollupAggregator("i1");
        aggregator.Add(LedgerRecords.Call(Start, "a"));
        var failed = aggregator.TakeDirty();

        aggregator.MarkDirty(failed);

        Assert.Equal(1, Assert.Single(aggregator.TakeDirty()).Calls);
    }

    [Fact]
    public void Add_DifferentClientsAndModels_SeparateRows()
    {
        var aggregator = new RollupAggregator("i1");
        aggregator.Add(LedgerRecords.Call(Start, "a", client: "caller-a"));
        aggregator.Add(LedgerRecords.Call(Start, "b", client: "caller-b"));
        aggregator.Add(LedgerRecords.Call(Start, "c", client: "caller-b", model: "small"));

        Assert.Equal(3, aggregator.TakeDirty().Count);
    }

    [Fact]
    public void Evict_HourEndedLongBeforeOldestUnwritten_ForgetsOnlyCleanOldRows()
    {
        var time = new FakeTimeProvider(Start);
        var aggregator = new RollupAggregator("i1");
        aggregator.Add(LedgerRecords.Call(time.GetUtcNow(), "old"));
        aggregator.TakeDirty();
        time.Advance(TimeSpan.FromHours(2)); // 11:59:58: the 09 hour ended under 2 h ago
        Assert.Equal(0, aggregator.Evict(time.GetUtcNow()));

        time.Advance(TimeSpan.FromSeconds(2)); // 12:00:00: 2 h after the 09 hour ended
        aggregator.Add(LedgerRecords.Call(time.GetUtcNow(), "new"));

        Assert.Equal(1, aggregator.Evict(time.GetUtcNow()));
        Assert.Equal(1, aggregator.Count);
    }

    [Fact]
    public void Evict_DirtyRow_IsKept()
    {
        var aggregator = new RollupAggregator("i1");
        aggregator.Add(LedgerRecords.Call(Start, "a"));

        Assert.Equal(0, aggregator.Evict(Start.AddDays(1)));
    }
}
