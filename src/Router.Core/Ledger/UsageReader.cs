using Router.Core.Catalog;

namespace Router.Core.Ledger;

/// <summary>
/// Answers usage queries from RouterRollups, through the rollup store: the hour range, the task and
/// the client select the rows; rows of every instance are added up. The rollups hold neither the
/// caller's metadata nor the API, so a query by them (<see cref="UsageQuery.ReadsCallRows"/>, at most
/// a week) is summed from the call rows instead (<see cref="CallRowUsageSource"/>).
/// </summary>
public sealed class UsageReader(RollupStore rollups, CallRowUsageSource calls, TaskCatalog catalog)
{
    /// <summary>The columns a usage answer is made of (<see cref="UsageAggregation"/>): counts, tokens, cost, latency sum and histogram; not the prompt version, first and last call or journal position.</summary>
    public static readonly IReadOnlyList<string> UsageColumns =
    [
        "Calls", "Errors", "Fallbacks", "Escalations", "CostNanoUsd",
        "InputTokens", "SystemTokens", "ExamplesTokens", "ContextTokens", "CallerTokens", "CachedInputTokens", "OutputTokens",
        "LatencySumMs", .. LatencyHistogram.Columns,
    ];

    public async Task<UsageReport> ReadAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = query.ReadsCallRows
            ? await calls.ReadAsync(query, cancellationToken).ConfigureAwait(false)
            : await ReadRowsAsync(query, cancellationToken).ConfigureAwait(false);
        return UsageAggregation.Aggregate(rows, query);
    }

    /// <summary>
    /// The rollup rows (every instance) a query selects, unsummed, with the <paramref name="columns"/> asked for
    /// (default <see cref="UsageColumns"/>): the dashboard draws its daily series from them with fewer.
    /// </summary>
    public Task<IReadOnlyList<RollupRecord>> ReadRowsAsync(UsageQuery query, CancellationToken cancellationToken, IReadOnlyList<string>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        // Closed whole days come as day rows unless the answer is split by hour.
        // Every task: those compaction reached and the catalog's, each by its partition (no scan of the table).
        var read = new RollupRead
        {
            Task = query.Task, Client = query.Client, From = query.From, To = query.To, Columns = columns ?? UsageColumns,
            DayRows = !query.GroupBy.Contains(UsageDimension.Hour), KnownTasks = query.Task is null ? catalog.Tasks.Select(t => t.Name).ToList() : null,
        };
        return rollups.ReadAsync(read, cancellationToken);
    }
}
