using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Router.Core.Ledger;

/// <summary>
/// The one reader of RouterRollups: the usage API, the dashboard, the distillation report, budgets
/// and the journal replay all read rollup rows through it. Rows come back typed
/// (<see cref="RollupRecord"/>), one per instance, unsummed (callers add them up with
/// <see cref="RollupTotals"/>). A missing table reads as no rows: it appears with the first rollup
/// written. Filters are built with <see cref="TableClient.CreateQueryFilter(System.FormattableString)"/>
/// (values escaped); the hour range is a RowKey range, since row keys start with yyyyMMddHH.
/// </summary>
public sealed class RollupStore
{
    /// <summary>Columns every read returns, whatever else it asks for.</summary>
    public static readonly IReadOnlyList<string> KeyColumns = ["PartitionKey", "RowKey", "Task", "Hour", "Route", "Model", "Client", "Instance"];

    private readonly TableClient _table;

    public RollupStore(TableServiceClient service, IOptions<StorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(storage);
        _table = service.GetTableClient(storage.Value.RollupsTable);
    }

    /// <summary>The rows the query selects, in key order (task, then hour).</summary>
    public async Task<IReadOnlyList<RollupRecord>> ReadAsync(RollupRead query, CancellationToken cancellationToken)
    {
        var rows = new List<RollupRecord>();
        await foreach (var row in QueryAsync(query, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Whether any row matches (reads one key).</summary>
    public async Task<bool> AnyAsync(RollupRead query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return (await ReadAsync(query with { Take = 1, Columns = [] }, cancellationToken).ConfigureAwait(false)).Count > 0;
    }

    /// <summary>The rows the query selects, streamed page by page.</summary>
    public async IAsyncEnumerable<RollupRecord> QueryAsync(RollupRead query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var select = query.Columns is null ? null : KeyColumns.Concat(query.Columns).Distinct(StringComparer.Ordinal).ToList();
        var pageSize = query.Take is { } take ? Math.Clamp(take, 1, 1_000) : 1_000;
        var read = 0;
        await foreach (var entity in _table.QueryOrEmptyAsync(Filter(query), select, cancellationToken, pageSize).ConfigureAwait(false))
        {
            if (query.Take is { } limit && read >= limit)
            {
                yield break;
            }

            read++;
            yield return RollupEntity.FromEntity(entity);
        }
    }

    /// <summary>The OData filter of a query; null when it selects every row.</summary>
    public static string? Filter(RollupRead query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string>();
        if (query.Task is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"PartitionKey eq {query.Task}"));
        }

        if (query.From is { } from)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey ge {RollupEntity.HourPrefix(from)}"));
        }

        if (query.To is { } to)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey lt {RollupEntity.HourPrefix(to)}"));
        }

        if (query.Client is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"Client eq {query.Client}"));
        }

        if (query.Instance is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"Instance eq {query.Instance}"));
        }

        if (query.ExceptInstance is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"Instance ne {query.ExceptInstance}"));
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts.Select(p => "(" + p + ")"));
    }
}
