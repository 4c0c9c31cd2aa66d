using Router.Core.Ledger;

namespace Router.Core.Tests.Ledger;

public sealed class UsageAggregationTests
{
    private static readonly DateTimeOffset Nine = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Aggregate_RowsOfSeveralInstances_SumsThemAndReadsPercentilesFromTheSummedHistogram()
    {
        var first = new RollupAggregator("i1");
        var second = new RollupAggregator("i2");
        for (var i = 0; i < 90; i++)
        {
            first.Add(LedgerRecords.Call(Nine.AddMinutes(1), "a" + i, totalMs: 3));
        }

        for (var i = 0; i < 10; i++)
        {
            second.Add(LedgerRecords.Call(Nine.AddMinutes(2), "b" + i, totalMs: 600, fallback: true));
        }

        var rows = first.TakeDirty().Concat(second.TakeDirty());
        var report = UsageAggregation.Aggregate(rows, Query());

        Assert.Equal(100, report.Total.Calls);
        Assert.Equal(0.1, report.Total.FallbackRate!.Value, 9);
        Assert.Equal(100 * 123_457L, report.Total.CostNanoUsd);
        Assert.Equal(100 * 123_457L / 1_000_000_000m, report.Total.CostUsd);
        // 90 calls at 3 ms, 10 at 600 ms: p95 is halfway and p99 nine-tenths into 600 ms's bucket.
        var slow = LatencyHistogram.BucketOf(600);
        var (lower, upper) = (LatencyHistogram.UpperBoundsMs[slow - 1], LatencyHistogram.UpperBoundsMs[slow]);
        Assert.Equal(Math.Round(lower + ((upper - lower) * 0.5), 3), report.Total.LatencyMs.P95);
        Assert.Equal(Math.Round(lower + ((upper - lower) * 0.9), 3), report.Total.LatencyMs.P99);
        Assert.Equal(700, report.Total.Tokens.Output);
        Assert.Empty(report.Groups);
    }

    [Fact]
    public void Aggregate_GroupByClientAndHour_OneGroupEach()
    {
        var aggregator = new RollupAggregator("i1");
        aggregator.Add(LedgerRecords.Call(Nine, "a", client: "caller-a"));
        aggregator.Add(LedgerRecords.Call(Nine.AddHours(1), "b", client: "caller-a"));
        aggregator.Add(LedgerRecords.Call(Nine.AddHours(1), "c", client: "caller-b"));

        var report = UsageAggregation.Aggregate(aggregator.TakeDirty(), Query(groupBy: "hour,client"));

        Assert.Equal(
            [(Nine, "caller-a"), (Nine.AddHours(1), "caller-a"), (Nine.AddHours(1), "caller-b")],
            report.Groups.Select(g => (g.Hour!.Value, g.Client!)).ToList());
        Assert.All(report.Groups, g => Assert.Null(g.Task));
    }

    [Fact]
    public void Aggregate_ClientFilter_LeavesOtherClientsOut()
    {
        var aggregator = new RollupAggregator("i1");
        aggregator.Add(LedgerRecords.Call(Nine, "a", client: "caller-a"));
        aggregator.Add(LedgerRecords.Call(Nine, "b", client: "caller-b"));

        var report = UsageAggregation.Aggregate(aggregator.TakeDirty(), Query(client: "caller-b", groupBy: "client"));

        Assert.Equal("caller-b", Assert.Single(report.Groups).Client);
        Assert.Equal(1, report.Total.Calls);
    }

    [Fact]
    public void Aggregate_Escalation_CountsAsCallButNotRequest()
    {
        var aggregator = new RollupAggregator("i1");
        aggregator.Add(LedgerRecords.Call(Nine, "s", model: "small", status: CallStatus.Escalated));
        aggregator.Add(LedgerRecords.Call(Nine, "l", fallback: true));

        var total = UsageAggregation.Aggregate(aggregator.TakeDirty(), Query()).Total;

        Assert.Equal((2L, 1L, 1L, 1.0), (total.Calls, total.Requests, total.Escalations, total.FallbackRate!.Value));
    }

    [Fact]
    public void Aggregate_GroupByApiAndApiFilter_SplitsRowsSummedFromCallRows()
    {
        var aggregator = new RollupAggregator("i1");
        aggregator.Add(LedgerRecords.Call(Nine, "a"));
        var chat = aggregator.TakeDirty().Single() with { Api = "chat" };
        var responses = chat with { Api = "responses", Calls = 3 };

        var split = UsageAggregation.Aggregate([chat, responses], Query(groupBy: "api"));
        Assert.True(Query().TryNarrow(new Dictionary<string, string>(), "responses", out var onlyResponses, out _));
        var filtered = UsageAggregation.Aggregate([chat, responses], onlyResponses);

        Assert.Equal([("chat", 1L), ("responses", 3L)], split.Groups.Select(g => (g.Api!, g.Usage.Calls)).ToList());
        Assert.Equal(4, split.Total.Calls);
        Assert.Equal(3, filtered.Total.Calls);
        Assert.Equal("responses", filtered.Api);
    }

    private static UsageQuery Query(string? client = null, string? groupBy = null)
    {
        Assert.True(UsageQuery.TryParse(null, client, "2025-03-01T00:00:00Z", "2025-03-02T00:00:00Z", groupBy, Nine, out var query, out _));
        return query;
    }
}
