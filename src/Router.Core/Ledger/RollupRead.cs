namespace Router.Core.Ledger;

/// <summary>
/// Which RouterRollups rows to read (<see cref="RollupStore"/>): an hour range, optionally one
/// task (the partition), one client, one instance or every instance but one, and the columns wanted.
/// </summary>
public sealed record RollupRead
{
    /// <summary>One task (the partition); null: every task.</summary>
    public string? Task { get; init; }

    /// <summary>First hour read (rounded down to the hour by the key prefix); null: from the oldest row.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the range, exclusive (an hour); null: up to the newest row.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>
    /// With <see cref="Task"/> null, once compaction has run: the tasks that may have rows compaction has not
    /// reached yet (the catalog's), read by partition; every task compaction reached is read anyway. Null: a
    /// scan of the table finds them (slow on a large table).
    /// </summary>
    public IReadOnlyCollection<string>? KnownTasks { get; init; }

    /// <summary>One client's rows only.</summary>
    public string? Client { get; init; }

    /// <summary>One instance's rows only (the journal replay continues a dead instance's rows).</summary>
    public string? Instance { get; init; }

    /// <summary>Every instance's rows but this one (budgets count their own instance in memory).</summary>
    public string? ExceptInstance { get; init; }

    /// <summary>
    /// Figure columns wanted (e.g. <c>CostNanoUsd</c>); null: every column. The key columns
    /// (<see cref="RollupStore.KeyColumns"/>) are always read, so each row says what it covers.
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Instance rows even where compacted fleet rows exist (compaction reads what it folds).</summary>
    public bool PerInstance { get; init; }

    /// <summary>
    /// Whole closed days may come as day rows (one per day / route / model / client / prompt version, Hour = the
    /// first hour they cover) instead of hour rows: for readers that never group by hour (the report, the
    /// dashboard, <c>/api/usage</c> without groupBy=hour). Off: every row is one hour.
    /// </summary>
    public bool DayRows { get; init; }

    /// <summary>At most this many rows (e.g. 1 to ask whether any exists); null: all.</summary>
    public int? Take { get; init; }
}
