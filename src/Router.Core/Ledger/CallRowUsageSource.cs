using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Router.Core.Ledger;

/// <summary>
/// Usage summed from RouterCalls rows, for the queries the rollups cannot answer: by the caller's
/// metadata (<c>metadata.team=search</c>) or by API. The range's day partitions are read with the task,
/// client, API and time range filtered by the table service, shadow calls left out (as the rollups
/// leave them out: never the caller's usage), the metadata pairs matched here; each matching call is
/// added through <see cref="RollupTotals"/>, the one place calls are summed, into a row per task,
/// hour, route, model, client and API, so <see cref="UsageAggregation"/> answers as for rollups.
/// The range is bounded by <see cref="UsageQuery.MaxCallRowRange"/>; rows are read page by page and
/// never held.
/// </summary>
public sealed class CallRowUsageSource
{
    /// <summary>The instance name the summed rows carry: they are no instance's rollup.</summary>
    public const string Instance = "call-rows";

    private static readonly string[] Columns =
    [
        "CallId", "RequestId", "CallTime", "Task", "Route", "Model", "Deployment", "Client", "Api", "Metadata", "Status", "HttpStatus",
        "InputTokens", "SystemTokens", "ExamplesTokens", "ContextTokens", "CallerTokens", "CachedInputTokens", "OutputTokens",
        "CostNanoUsd", "PriceVersion", "TotalMs", "UpstreamMs", "OverheadMs", "Fallback", "OutputViolation", "PromptVersion",
    ];

    private readonly TableClient _table;

    public CallRowUsageSource(TableServiceClient service, IOptions<StorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(storage);
        _table = service.GetTableClient(storage.Value.CallsTable);
    }

    public async Task<IReadOnlyList<RollupRecord>> ReadAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sums = new Dictionary<(RollupKey Key, string Api), (RollupTotals Totals, string? PromptVersion)>();
        await foreach (var entity in _table.QueryOrEmptyAsync(Filter(query), Columns, cancellationToken).ConfigureAwait(false))
        {
            var record = CallRecordEntity.FromEntity(entity);
            if (!Matches(record.Metadata, query.Metadata))
            {
                continue;
            }

            var key = (RollupKey.Of(record), record.Api);
            if (!sums.TryGetValue(key, out var sum))
            {
                sum = (new RollupTotals(), null);
            }

            sum.Totals.Add(record);
            sums[key] = (sum.Totals, record.PromptVersion);
        }

        return sums.Select(s => s.Value.Totals.ToRecord(s.Key.Key, Instance, s.Value.PromptVersion) with { Api = s.Key.Api }).ToList();
    }

    /// <summary>The OData filter: the day partitions of the range, then the call time, task, client and API; shadow calls out.</summary>
    public static string Filter(UsageQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var firstDay = query.From.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var afterLastDay = query.To.UtcDateTime.AddTicks(-1).Date.AddDays(1).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var parts = new List<string>
        {
            TableClient.CreateQueryFilter($"PartitionKey ge {firstDay} and PartitionKey lt {afterLastDay}"),
            TableClient.CreateQueryFilter($"CallTime ge {query.From} and CallTime lt {query.To}"),
            TableClient.CreateQueryFilter($"Status ne {CallStatus.Shadow}"),
        };
        if (query.Task is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"Task eq {query.Task}"));
        }

        if (query.Client is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"Client eq {query.Client}"));
        }

        if (query.Api is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"Api eq {query.Api}"));
        }

        return string.Join(" and ", parts);
    }

    private static bool Matches(IReadOnlyDictionary<string, string>? metadata, IReadOnlyDictionary<string, string> wanted)
    {
        foreach (var (key, value) in wanted)
        {
            if (metadata is null || !metadata.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
