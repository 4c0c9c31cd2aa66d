namespace Router.Core.Ledger;

/// <summary>
/// One row of RouterRollups: what one router instance served in one UTC hour for one
/// task / route / model / client. Each instance writes only its own rows (its name is in
/// the key), so instances never conflict; readers add rows up across instances.
/// </summary>
public sealed record RollupRecord
{
    public required string Task { get; init; }

    public required DateTimeOffset Hour { get; init; }

    public required string Route { get; init; }

    public required string Model { get; init; }

    public required string Client { get; init; }

    public required string Instance { get; init; }

    /// <summary>
    /// The API the calls came through, on rows summed from call rows (<see cref="CallRowUsageSource"/>);
    /// null on RouterRollups rows, which do not split by API.
    /// </summary>
    public string? Api { get; init; }

    public long Calls { get; init; }

    public long Errors { get; init; }

    /// <summary>Calls served by the large model after the small one failed or broke the output rules.</summary>
    public long Fallbacks { get; init; }

    /// <summary>Small-model attempts that escalated (the other half of a fallback).</summary>
    public long Escalations { get; init; }

    /// <summary>Answers that broke the task's output rules (a large answer is served anyway; a small one escalates).</summary>
    public long RuleViolations { get; init; }

    /// <summary>Timestamp of the row's earliest call; null on rows written before it was recorded.</summary>
    public DateTimeOffset? FirstCallAt { get; init; }

    /// <summary>Timestamp of the row's latest call.</summary>
    public DateTimeOffset? LastCallAt { get; init; }

    public long InputTokens { get; init; }

    public long SystemTokens { get; init; }

    public long ExamplesTokens { get; init; }

    public long ContextTokens { get; init; }

    public long CallerTokens { get; init; }

    public long CachedInputTokens { get; init; }

    public long OutputTokens { get; init; }

    /// <summary>Exact sum of costs, in nano-dollars (1e-9 USD).</summary>
    public long CostNanoUsd { get; init; }

    public double LatencySumMs { get; init; }

    /// <summary>Counts per <see cref="LatencyHistogram"/> bucket.</summary>
    public required IReadOnlyList<long> LatencyBuckets { get; init; }

    /// <summary>The task's prompt version on the last call of the hour; the distillation report reads prompt stability from it.</summary>
    public string? PromptVersion { get; init; }

    /// <summary>
    /// The writing instance's journal sequence number up to which this row includes every record of
    /// its key (0: no journal). A journal replay adds only records past it, so a replay never counts
    /// a call the row already holds.
    /// </summary>
    public long JournalSeq { get; init; }

    public decimal CostUsd => CostNanoUsd / CallRecordEntity.NanoPerUsd;
}
