using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Router.Core.Distillation;
using Router.Core.Ledger;
using Router.Core.Routing;

namespace Router.Core.Promotion;

/// <summary>
/// How often a promoted route's answers cascaded to large lately, from RouterRollups (never raw calls):
/// the small route's model calls on <c>model</c> (served and escalated) and the escalated ones, summed over
/// every instance and client for the hours from <c>from</c> on.
/// </summary>
public sealed class CascadeRateReader(TableServiceClient service, IOptions<StorageOptions> storage)
{
    private static readonly string[] Columns = ["RowKey", "Route", "Model", "Calls", "Escalations"];

    private readonly TableClient _rollups = service.GetTableClient(storage.Value.RollupsTable);

    public async Task<(long Calls, long Cascades)> ReadAsync(string task, string model, DateTimeOffset from, CancellationToken cancellationToken)
    {
        long calls = 0, cascades = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {task} and RowKey ge {RollupEntity.HourPrefix(from)}");
        await foreach (var row in _rollups.QueryOrEmptyAsync(filter, Columns, cancellationToken).ConfigureAwait(false))
        {
            if (row.GetString("Route") == RouteNames.Small && string.Equals(row.GetString("Model"), model, StringComparison.Ordinal))
            {
                calls += row.GetInt64("Calls") ?? 0;
                cascades += row.GetInt64("Escalations") ?? 0;
            }
        }

        return (calls, cascades);
    }
}
