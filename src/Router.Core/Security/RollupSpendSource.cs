using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Router.Core.Ledger;

namespace Router.Core.Security;

/// <summary>
/// Reads today's spend per client from RouterRollups, leaving out this instance's own rows
/// (this instance counts its own spend exactly, in memory). Rollups are small: one row per
/// instance, hour, task, route, model and client.
/// </summary>
public sealed class RollupSpendSource(TableServiceClient tables, IOptions<StorageOptions> storage, RouterInstance instance) : ISpendSource
{
    public async Task<IReadOnlyDictionary<string, decimal>> OtherInstancesSpendAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var table = tables.GetTableClient(storage.Value.RollupsTable);
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var from = RollupEntity.HourPrefix(start);
        var to = RollupEntity.HourPrefix(start.AddDays(1));
        var filter = TableClient.CreateQueryFilter($"RowKey ge {from} and RowKey lt {to} and Instance ne {instance.Id}");
        var spend = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["Client", "CostNanoUsd"], cancellationToken: cancellationToken))
            {
                var client = row.GetString("Client") ?? string.Empty;
                spend[client] = spend.GetValueOrDefault(client) + ((row.GetInt64("CostNanoUsd") ?? 0) / CallRecordEntity.NanoPerUsd);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No rollups yet.
        }

        return spend;
    }
}
