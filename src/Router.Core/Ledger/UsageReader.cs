namespace Router.Core.Ledger;

/// <summary>
/// Answers usage queries from RouterRollups (never from raw calls), through the rollup store:
/// the hour range, the task and the client select the rows; rows of every instance are added up.
/// </summary>
public sealed class UsageReader(RollupStore rollups)
{
    public async Task<UsageReport> ReadAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return UsageAggregation.Aggregate(await ReadRowsAsync(query, cancellationToken).ConfigureAwait(false), query);
    }

    /// <summary>The rollup rows (every instance) a query selects, unsummed: the dashboard draws its daily series from them.</summary>
    public Task<IReadOnlyList<RollupRecord>> ReadRowsAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return rollups.ReadAsync(new RollupRead { Task = query.Task, Client = query.Client, From = query.From, To = query.To }, cancellationToken);
    }
}
