namespace Router.Core.Ledger;

/// <summary>Running absolute totals of one rollup row of this instance; mutable, owned by <see cref="RollupAggregator"/>.</summary>
internal sealed class RollupAccumulator
{
    private readonly long[] _buckets = new long[LatencyHistogram.BucketCount];
    private long _calls;
    private long _errors;
    private long _fallbacks;
    private long _escalations;
    private long _input;
    private long _system;
    private long _examples;
    private long _context;
    private long _caller;
    private long _cached;
    private long _output;
    private long _costNano;
    private double _latencySum;
    private string? _promptVersion;

    /// <summary>Changed since the last snapshot was taken for writing.</summary>
    public bool Dirty { get; set; }

    public void Add(CallRecord record)
    {
        _calls++;
        if (record.Status is CallStatus.UpstreamError or CallStatus.ClientAborted)
        {
            _errors++;
        }

        if (record.Status == CallStatus.Escalated)
        {
            _escalations++;
        }

        if (record.Fallback)
        {
            _fallbacks++;
        }

        _input += record.InputTokens;
        _system += record.SystemTokens;
        _examples += record.ExamplesTokens;
        _context += record.ContextTokens;
        _caller += record.CallerTokens;
        _cached += record.CachedInputTokens;
        _output += record.OutputTokens;
        // Same rounding as the call row's CostNanoUsd, so the rollup equals the sum of the raw rows exactly.
        _costNano += CallRecordEntity.NanoUsd(record.CostUsd);
        _latencySum += record.TotalMs;
        _buckets[LatencyHistogram.BucketOf(record.TotalMs)]++;
        _promptVersion = record.PromptVersion;
        Dirty = true;
    }

    public RollupRecord Snapshot(RollupKey key, string instance) => new()
    {
        Task = key.Task,
        Hour = key.Hour,
        Route = key.Route,
        Model = key.Model,
        Client = key.Client,
        Instance = instance,
        Calls = _calls,
        Errors = _errors,
        Fallbacks = _fallbacks,
        Escalations = _escalations,
        InputTokens = _input,
        SystemTokens = _system,
        ExamplesTokens = _examples,
        ContextTokens = _context,
        CallerTokens = _caller,
        CachedInputTokens = _cached,
        OutputTokens = _output,
        CostNanoUsd = _costNano,
        LatencySumMs = _latencySum,
        LatencyBuckets = (long[])_buckets.Clone(),
        PromptVersion = _promptVersion,
    };
}
