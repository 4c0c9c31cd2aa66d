using Microsoft.Extensions.Options;
using Router.Core.Ledger;
using Router.Core.Ledger.Fleet;

namespace Router.Core.Security;

/// <summary>
/// Today's spend per client by the other instances (docs/ledger.md, "Budgets at fleet scale"). While
/// compaction keeps its spend rows fresh (written within <see cref="CompactionOptions.SpendStaleAfter"/>),
/// a refresh reads those rows only: the shared rows (one per client), then this instance's own copies,
/// two queries whatever the number of instances. Each figure covers every instance and says how much of
/// this instance's own spend it holds (<see cref="ClientSpend"/>), which the tracker takes out. When the
/// rows are missing (compaction off or not run yet today) or stale (compaction stopped), it falls back to
/// reading the other instances' rows of the hours not compacted, which grows with the fleet.
/// </summary>
public sealed class RollupSpendSource(RollupStore rollups, RouterInstance instance, IOptions<CompactionOptions> compaction, TimeProvider time) : ISpendSource
{
    private static readonly string[] SpendColumns = ["CostNanoUsd"];

    public async Task<OtherSpend> OtherInstancesSpendAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = start.AddDays(1);
        var fleet = await rollups.FleetSpendAsync(day, instance.Id, cancellationToken);
        if (fleet.Header is { } header && time.GetUtcNow() - header.AsOf <= compaction.Value.SpendStaleAfter)
        {
            return new OtherSpend(fleet.ByClient().ToDictionary(
                s => s.Client,
                s => new ClientSpend(s.TotalNanoUsd / CallRecordEntity.NanoPerUsd, s.Through, s.OwnOpenNanoUsd / CallRecordEntity.NanoPerUsd),
                StringComparer.OrdinalIgnoreCase));
        }

        // Missing or stale: the compacted hours still hold (fleet rows never shrink), the rest is read per instance.
        // Rows of two runs (read while one was writing) do not share one boundary: then read the whole day.
        var through = fleet.Header is { } last && fleet.Shared.Values.All(r => r.Through == last.Through) ? last.Through : (DateTimeOffset?)null;
        var spend = new Dictionary<string, (decimal Usd, DateTimeOffset? Before)>(StringComparer.OrdinalIgnoreCase);
        if (through is { } t)
        {
            foreach (var row in fleet.Shared.Values)
            {
                spend[row.Client] = (row.CompactedNanoUsd / CallRecordEntity.NanoPerUsd, t);
            }
        }

        var query = new RollupRead { From = through ?? start, To = end, ExceptInstance = instance.Id, Columns = SpendColumns };
        await foreach (var row in rollups.QueryAsync(query, cancellationToken))
        {
            var current = spend.GetValueOrDefault(row.Client);
            spend[row.Client] = (current.Usd + row.CostUsd, through);
        }

        return new OtherSpend(spend.ToDictionary(s => s.Key, s => new ClientSpend(s.Value.Usd, s.Value.Before), StringComparer.OrdinalIgnoreCase));
    }
}
