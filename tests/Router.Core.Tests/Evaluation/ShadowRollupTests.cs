using Router.Core.Evaluation;
using Router.Core.Ledger;
using Router.Core.Tests.Ledger;

namespace Router.Core.Tests.Evaluation;

public sealed class ShadowRollupTests
{
    private static readonly string[] Instances = ["i1", "i2", "i3"];

    private static readonly DateTimeOffset Hour = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static CallRecord Shadow(string callId, string candidate, bool scored, bool valid, bool agreed, double score, decimal cost, double ms, DateTimeOffset? at = null, string? error = null) =>
        LedgerRecords.Call(at ?? Hour.AddMinutes(5), callId, model: "mini", cost: cost, status: CallStatus.Shadow, totalMs: ms) with
        {
            UpstreamMs = ms,
            Error = error,
            Shadow = new ShadowEvaluation(candidate, scored, valid, agreed, score),
        };

    [Fact]
    public void Aggregator_ShadowCalls_AddUpPerHourAndCandidate()
    {
        var aggregator = new ShadowRollupAggregator("i1");
        aggregator.Add(Shadow("a", "mini", true, true, true, 1, 0.001m, 30));
        aggregator.Add(Shadow("b", "mini", true, false, false, 0, 0.002m, 300));
        aggregator.Add(Shadow("c", "mini", false, false, false, 0, 0m, 40, error: "HTTP 500"));
        aggregator.Add(Shadow("d", "tuned", true, true, true, 1, 0.004m, 30));
        aggregator.Add(Shadow("e", "mini", true, true, true, 1, 0.001m, 30, at: Hour.AddHours(1)));

        var rows = aggregator.TakeDirty().OrderBy(r => r.Hour).ThenBy(r => r.Candidate).ToList();

        Assert.Equal(3, rows.Count);
        var mini = rows[0];
        Assert.Equal(("mini", Hour, "i1", "mini"), (mini.Candidate, mini.Hour, mini.Instance, mini.Model));
        Assert.Equal((3L, 1L, 2L, 1L, 1L), (mini.Calls, mini.Failures, mini.Scored, mini.Valid, mini.Agreements));
        Assert.Equal(0.003m, mini.CostUsd);
        Assert.Equal(3, mini.LatencyBuckets.Sum());
        Assert.Equal(1, mini.LatencyBuckets[LatencyHistogram.BucketOf(300)]);
        Assert.Empty(aggregator.TakeDirty());
    }

    [Fact]
    public void Entity_RoundTrip_KeepsEveryFigureAndTheKeyLayout()
    {
        var aggregator = new ShadowRollupAggregator("i1");
        aggregator.Add(Shadow("a", "mini", true, true, false, 0.5, 0.000123456789m, 30));
        var row = aggregator.TakeDirty().Single();

        var entity = ShadowRollupEntity.ToEntity(row);
        var back = ShadowRollupEntity.FromEntity(entity);

        Assert.Equal(("ticket-triage", "2026030110-mini-i1"), (entity.PartitionKey, entity.RowKey));
        Assert.Equal(row with { LatencyBuckets = back.LatencyBuckets }, back);
        Assert.Equal(row.LatencyBuckets, back.LatencyBuckets);
    }

    [Fact]
    public void EvidenceReader_RowsOfThreeInstances_SumAndGiveTheWilsonInterval()
    {
        var rows = Instances.Select(instance =>
        {
            var aggregator = new ShadowRollupAggregator(instance);
            for (var i = 0; i < 30; i++)
            {
                aggregator.Add(Shadow($"{instance}-{i}", "mini", true, true, i % 10 != 0, i % 10 != 0 ? 1 : 0, 0.001m, 30));
            }

            return aggregator.TakeDirty().Single();
        }).ToList();

        var evidence = Assert.Single(ShadowEvidenceReader.Aggregate(rows, Hour, Hour.AddDays(1)));

        Assert.Equal((90L, 90L, 81L), (evidence.Calls, evidence.Samples, evidence.Agreements));
        Assert.Equal(AgreementInterval.Wilson(81, 90), evidence.Agreement);
        Assert.Equal(0.090m, evidence.CostUsd);
        Assert.Equal(0.001m, evidence.CostPerCall);
        Assert.Equal(0.0, evidence.InvalidRate);
        Assert.Equal(0.9, evidence.MeanScore!.Value, 10);
    }

    [Fact]
    public void EvidenceReader_RowsOutsideTheWindow_AreLeftOut()
    {
        var aggregator = new ShadowRollupAggregator("i1");
        aggregator.Add(Shadow("a", "mini", true, true, true, 1, 0.001m, 30));
        aggregator.Add(Shadow("b", "mini", true, true, true, 1, 0.001m, 30, at: Hour.AddHours(-1)));

        var evidence = Assert.Single(ShadowEvidenceReader.Aggregate(aggregator.TakeDirty(), Hour, Hour.AddHours(1)));

        Assert.Equal(1, evidence.Calls);
    }
}
