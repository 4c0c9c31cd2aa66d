namespace Router.Core.Ledger;

/// <summary>GET /api/usage's answer: the range read, one group per distinct value of the grouping dimensions, and the total.</summary>
public sealed record UsageReport(DateTimeOffset From, DateTimeOffset To, string? Task, string? Client, IReadOnlyList<string> GroupBy, IReadOnlyList<UsageGroup> Groups, UsageFigures Total)
{
    /// <summary>The API filter (<c>api=</c>), when given.</summary>
    public string? Api { get; init; }

    /// <summary>The metadata filter (<c>metadata.key=value</c>), when given.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>One group: the dimension values it stands for (null when not grouped by that dimension) and its figures.</summary>
public sealed record UsageGroup(DateTimeOffset? Hour, string? Day, string? Task, string? Route, string? Model, string? Client, UsageFigures Usage)
{
    /// <summary>The API, when grouped by it (<c>groupBy=api</c>).</summary>
    public string? Api { get; init; }
}

/// <summary>
/// Summed rollup figures. Requests = calls minus escalated small attempts (a cascade is one
/// request and two model calls); FallbackRate = fallbacks / requests. Latency percentiles come
/// from the summed fixed-bucket histograms (interpolated inside a bucket).
/// </summary>
public sealed record UsageFigures(
    long Calls,
    long Requests,
    long Errors,
    long Fallbacks,
    long Escalations,
    double? FallbackRate,
    decimal CostUsd,
    long CostNanoUsd,
    UsageTokens Tokens,
    UsageLatency LatencyMs);

public sealed record UsageTokens(long Input, long System, long Examples, long Context, long Caller, long CachedInput, long Output);

/// <summary>
/// Latency in milliseconds. <see cref="Mean"/> is exact (sum / calls); the percentiles named in
/// <see cref="Estimated"/> are interpolated in the rollups' log-spaced histogram, whose buckets are
/// <see cref="BucketGrowth"/> times wider each (at most one bucket, 10%, off; within a few percent
/// for latencies that spread over several buckets). See docs/ledger.md "Latency histogram".
/// </summary>
public sealed record UsageLatency(double? P50, double? P95, double? P99, double? Mean)
{
    public IReadOnlyList<string> Estimated { get; } = ["p50", "p95", "p99"];

    public double BucketGrowth { get; } = LatencyHistogram.Growth;
}
