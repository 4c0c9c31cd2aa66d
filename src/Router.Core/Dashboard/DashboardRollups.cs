using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Router.Core.Ledger;

namespace Router.Core.Dashboard;

/// <summary>
/// Reads RouterRollups for the dashboard: one query per task partition, bounded by the RowKey
/// hour prefix, so a reader never scans other tasks or other hours.
/// </summary>
public sealed class DashboardRollups(TableServiceClient tables, IOptions<StorageOptions> storage)
{
    private readonly TableClient _rollups = tables.GetTableClient(storage.Value.RollupsTable);

    public async Task<IReadOnlyList<RollupRecord>> ReadAsync(string task, DateTimeOffset fromHour, DateTimeOffset toHourExclusive, CancellationToken cancellationToken)
    {
        var from = RollupEntity.HourPrefix(fromHour);
        var to = RollupEntity.HourPrefix(toHourExclusive);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {task} and RowKey ge {from} and RowKey lt {to}");
        var rows = new List<RollupRecord>();
        try
        {
            await foreach (var entity in _rollups.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                rows.Add(RollupEntity.FromEntity(entity));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The table appears with the first rollup: no rows yet is an empty dashboard, not an error.
        }

        return rows;
    }
}
