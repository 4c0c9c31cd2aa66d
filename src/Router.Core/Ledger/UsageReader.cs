using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Router.Core.Ledger;

/// <summary>
/// Answers usage queries from RouterRollups (never from raw calls): the hour range is a RowKey
/// range (keys start with yyyyMMddHH), the task is the partition, the client a column filter.
/// Rows of every instance are read and added up.
/// </summary>
public sealed class UsageReader(TableServiceClient service, IOptions<StorageOptions> storage)
{
    private readonly TableClient _rollups = service.GetTableClient(storage.Value.RollupsTable);

    public async Task<UsageReport> ReadAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return UsageAggregation.Aggregate(await ReadRowsAsync(query, cancellationToken).ConfigureAwait(false), query);
    }

    /// <summary>The rollup rows (every instance) a query selects, unsummed: the dashboard draws its daily series from them.</summary>
    public async Task<IReadOnlyList<RollupRecord>> ReadRowsAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = new List<RollupRecord>();
        try
        {
            await foreach (var entity in _rollups.QueryAsync<TableEntity>(Filter(query), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(RollupEntity.FromEntity(entity));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No rollup has been written yet: the table appears with the first one.
        }

        return rows;
    }

    /// <summary>The OData filter, every part built by TableClient.CreateQueryFilter (values escaped).</summary>
    public static string Filter(UsageQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string>
        {
            TableClient.CreateQueryFilter($"RowKey ge {RollupEntity.HourPrefix(query.From)} and RowKey lt {RollupEntity.HourPrefix(query.To)}"),
        };
        if (query.Task is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"PartitionKey eq {query.Task}"));
        }

        if (query.Client is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"Client eq {query.Client}"));
        }

        return string.Join(" and ", parts.Select(p => "(" + p + ")"));
    }
}
