using Router.Core.Ledger;

namespace Router.Core.Security;

/// <summary>
/// Today's spend per client by the other instances. Once compaction has written the day
/// (docs/ledger.md, "Budgets at fleet scale"): one compacted row per client for the folded hours
/// (every instance, this one included: <see cref="OtherSpend.IncludesOwnBefore"/>) plus the other
/// instances' rows of the hours since, so a refresh reads a number of rows that does not grow with
/// the day's length. Before that: every other instance's rows of the day.
/// </summary>
public sealed class RollupSpendSource(RollupStore rollups, RouterInstance instance) : ISpendSource
{
    private static readonly string[] SpendColumns = ["CostNanoUsd"];

    public async Task<OtherSpend> OtherInstancesSpendAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = start.AddDays(1);
        var (compacted, through) = await rollups.CompactedSpendAsync(day, cancellationToken);
        var spend = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var (client, nano) in compacted)
        {
            spend[client] = nano / CallRecordEntity.NanoPerUsd;
        }

        var query = new RollupRead { From = through ?? start, To = end, ExceptInstance = instance.Id, Columns = SpendColumns };
        await foreach (var row in rollups.QueryAsync(query, cancellationToken))
        {
            spend[row.Client] = spend.GetValueOrDefault(row.Client) + row.CostUsd;
        }

        return new OtherSpend(spend, through);
    }
}
