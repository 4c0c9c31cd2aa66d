using Router.Core.Ledger;

namespace Router.Core.Security;

/// <summary>
/// Reads today's spend per client from RouterRollups, leaving out this instance's own rows
/// (this instance counts its own spend exactly, in memory). Rollups are small: one row per
/// instance, hour, task, route, model and client.
/// </summary>
public sealed class RollupSpendSource(RollupStore rollups, RouterInstance instance) : ISpendSource
{
    private static readonly string[] SpendColumns = ["CostNanoUsd"];

    public async Task<IReadOnlyDictionary<string, decimal>> OtherInstancesSpendAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var query = new RollupRead { From = start, To = start.AddDays(1), ExceptInstance = instance.Id, Columns = SpendColumns };
        var spend = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in rollups.QueryAsync(query, cancellationToken))
        {
            spend[row.Client] = spend.GetValueOrDefault(row.Client) + row.CostUsd;
        }

        return spend;
    }
}
