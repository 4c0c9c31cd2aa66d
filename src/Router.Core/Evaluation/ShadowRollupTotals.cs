using Router.Core.Ledger;

namespace Router.Core.Evaluation;

/// <summary>
/// The additive figures of shadow rollups: one place that knows how shadow calls and shadow rollup
/// rows add up, used by the writer (one call at a time) and by readers (rows of every instance).
/// Mutable; not thread-safe.
/// </summary>
public sealed class ShadowRollupTotals
{
    private readonly long[] _buckets = new long[LatencyHistogram.BucketCount];

    public long Calls { get; private set; }

    public long Failures { get; private set; }

    public long Scored { get; private set; }

    public long Valid { get; private set; }

    public long Agreements { get; private set; }

    public double ScoreSum { get; private set; }

    public long CostNanoUsd { get; private set; }

    public long InputTokens { get; private set; }

    public long OutputTokens { get; private set; }

    public double LatencySumMs { get; private set; }

    /// <summary>Judge calls that graded this candidate's answers (generation tasks with a judge).</summary>
    public long JudgeCalls { get; private set; }

    /// <summary>What those judge calls cost: evaluation spend, not the candidate's cost per call.</summary>
    public long JudgeCostNanoUsd { get; private set; }

    public IReadOnlyList<long> LatencyBuckets => _buckets;

    public decimal CostUsd => CostNanoUsd / CallRecordEntity.NanoPerUsd;

    public decimal JudgeCostUsd => JudgeCostNanoUsd / CallRecordEntity.NanoPerUsd;

    /// <summary>One shadow call's record (its <see cref="CallRecord.Shadow"/> set).</summary>
    public void Add(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var shadow = record.Shadow ?? throw new ArgumentException("Not a shadow call record.", nameof(record));
        if (shadow.Judge)
        {
            JudgeCalls++;
            JudgeCostNanoUsd += CallRecordEntity.NanoUsd(record.CostUsd);
            return;
        }

        Calls++;
        if (record.Status == CallStatus.Shadow && record.Error is not null)
        {
            Failures++;
        }

        if (shadow.Scored)
        {
            Scored++;
            Valid += shadow.Valid ? 1 : 0;
            Agreements += shadow.Agreed ? 1 : 0;
            ScoreSum += shadow.Score;
        }

        CostNanoUsd += CallRecordEntity.NanoUsd(record.CostUsd);
        InputTokens += record.InputTokens;
        OutputTokens += record.OutputTokens;
        LatencySumMs += record.UpstreamMs;
        _buckets[LatencyHistogram.BucketOf(record.UpstreamMs)]++;
    }

    public void Add(ShadowRollupRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Calls += row.Calls;
        Failures += row.Failures;
        Scored += row.Scored;
        Valid += row.Valid;
        Agreements += row.Agreements;
        ScoreSum += row.ScoreSum;
        CostNanoUsd += row.CostNanoUsd;
        InputTokens += row.InputTokens;
        OutputTokens += row.OutputTokens;
        LatencySumMs += row.LatencySumMs;
        JudgeCalls += row.JudgeCalls;
        JudgeCostNanoUsd += row.JudgeCostNanoUsd;
        for (var i = 0; i < _buckets.Length && i < row.LatencyBuckets.Count; i++)
        {
            _buckets[i] += row.LatencyBuckets[i];
        }
    }

    public double? Percentile(double q) => LatencyHistogram.Percentile(_buckets, q);

    public ShadowRollupRecord ToRecord(ShadowRollupKey key, string instance, string model) => new()
    {
        Task = key.Task,
        Hour = key.Hour,
        Candidate = key.Candidate,
        Instance = instance,
        Model = model,
        Calls = Calls,
        Failures = Failures,
        Scored = Scored,
        Valid = Valid,
        Agreements = Agreements,
        ScoreSum = ScoreSum,
        CostNanoUsd = CostNanoUsd,
        InputTokens = InputTokens,
        OutputTokens = OutputTokens,
        LatencySumMs = LatencySumMs,
        JudgeCalls = JudgeCalls,
        JudgeCostNanoUsd = JudgeCostNanoUsd,
        LatencyBuckets = (long[])_buckets.Clone(),
    };
}

/// <summary>What one RouterShadowRollups row of one instance covers: a task, a UTC hour and a candidate.</summary>
public readonly record struct ShadowRollupKey(string Task, DateTimeOffset Hour, string Candidate)
{
    public static ShadowRollupKey Of(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ShadowRollupKey(record.Task, RollupKey.HourOf(record.Timestamp), record.Shadow?.Candidate ?? throw new ArgumentException("Not a shadow call record.", nameof(record)));
    }
}
