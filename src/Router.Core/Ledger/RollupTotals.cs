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

    /// <summary>Answers that came back but broke the task's output rules (labels or JSON schema), on any route.</summary>
    public long RuleViolations { get; private set; }

    /// <summary>The earliest call added (null when none): lets a report say how long it has seen traffic.</summary>
    public DateTimeOffset? FirstCallAt { get; private set; }

    /// <summary>The latest call added (null when none).</summary>
    public DateTimeOffset? LastCallAt { get; private set; }

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

        if (record.OutputViolation is not null)
        {
            RuleViolations++;
        }

        FirstCallAt = Earliest(FirstCallAt, record.Timestamp);
        LastCallAt = Latest(LastCallAt, record.Timestamp);

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
        RuleViolations += row.RuleViolations;
        FirstCallAt = Earliest(FirstCallAt, row.FirstCallAt);
        LastCallAt = Latest(LastCallAt, row.LastCallAt);
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
            RuleViolations = RuleViolations,
            FirstCallAt = FirstCallAt,
            LastCallAt = LastCallAt,
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

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);
}
