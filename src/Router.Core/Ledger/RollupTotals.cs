namespace Router.Core.Ledger;

/// <summary>
/// The additive figures of rollups: counts, token sums, exact cost and the latency histogram.
/// One place that knows how calls and rollup rows add up, used by the rollup writer (one call at
/// a time), the usage API and the dashboard (rows from every instance). Mutable; not thread-safe.
/// </summary>
public sealed class RollupTotals
{
    private readonly long[] _buckets = new long[LatencyHistogram.BucketCount];

    public long Calls { get; private set; }

    public long Errors { get; private set; }

    public long Fallbacks { get; private set; }

    public long Escalations { get; private set; }

    public long InputTokens { get; private set; }

    public long SystemTokens { get; private set; }

    public long ExamplesTokens { get; private set; }

    public long ContextTokens { get; private set; }

    public long CallerTokens { get; private set; }

    public long CachedInputTokens { get; private set; }

    public long OutputTokens { get; private set; }

    public long CostNanoUsd { get; private set; }

    public double LatencySumMs { get; private set; }

    public IReadOnlyList<long> LatencyBuckets => _buckets;

    public static RollupTotals Of(IEnumerable<RollupRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var totals = new RollupTotals();
        foreach (var row in rows)
        {
            totals.Add(row);
        }

        return totals;
    }

    /// <summary>One recorded model call.</summary>
    public void Add(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Calls++;
        if (record.Status is CallStatus.UpstreamError or CallStatus.ClientAborted)
        {
            Errors++;
        }

        if (record.Status == CallStatus.Escalated)
        {
            Escalations++;
        }

        if (record.Fallback)
        {
            Fallbacks++;
        }

        InputTokens += record.InputTokens;
        SystemTokens += record.SystemTokens;
        ExamplesTokens += record.ExamplesTokens;
        ContextTokens += record.ContextTokens;
        CallerTokens += record.CallerTokens;
        CachedInputTokens += record.CachedInputTokens;
        OutputTokens += record.OutputTokens;
        // Same rounding as the call row's CostNanoUsd, so a rollup equals the sum of its raw rows exactly.
        CostNanoUsd += CallRecordEntity.NanoUsd(record.CostUsd);
        LatencySumMs += record.TotalMs;
        _buckets[LatencyHistogram.BucketOf(record.TotalMs)]++;
    }

    /// <summary>A rollup row (any instance, any hour).</summary>
    public void Add(RollupRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Calls += row.Calls;
        Errors += row.Errors;
        Fallbacks += row.Fallbacks;
        Escalations += row.Escalations;
        InputTokens += row.InputTokens;
        SystemTokens += row.SystemTokens;
        ExamplesTokens += row.ExamplesTokens;
        ContextTokens += row.ContextTokens;
        CallerTokens += row.CallerTokens;
        CachedInputTokens += row.CachedInputTokens;
        OutputTokens += row.OutputTokens;
        CostNanoUsd += row.CostNanoUsd;
        LatencySumMs += row.LatencySumMs;
        for (var i = 0; i < _buckets.Length && i < row.LatencyBuckets.Count; i++)
        {
            _buckets[i] += row.LatencyBuckets[i];
        }
    }

    public double? Percentile(double q) => LatencyHistogram.Percentile(_buckets, q);

    /// <summary>These totals as the row of one instance, hour, task, route, model and client.</summary>
    public RollupRecord ToRecord(RollupKey key, string instance, string? promptVersion)
    {
        return new RollupRecord
        {
            Task = key.Task,
            Hour = key.Hour,
            Route = key.Route,
            Model = key.Model,
            Client = key.Client,
            Instance = instance,
            Calls = Calls,
            Errors = Errors,
            Fallbacks = Fallbacks,
            Escalations = Escalations,
            InputTokens = InputTokens,
            SystemTokens = SystemTokens,
            ExamplesTokens = ExamplesTokens,
            ContextTokens = ContextTokens,
            CallerTokens = CallerTokens,
            CachedInputTokens = CachedInputTokens,
            OutputTokens = OutputTokens,
            CostNanoUsd = CostNanoUsd,
            LatencySumMs = LatencySumMs,
            LatencyBuckets = (long[])_buckets.Clone(),
            PromptVersion = promptVersion,
        };
    }
}
