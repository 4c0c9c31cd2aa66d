using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Router.Core.Ledger.Fleet;

namespace Router.Core.Ledger;

/// <summary>
/// The one reader of RouterRollups: the usage API, the dashboard, the distillation report, budgets
/// and the journal replay all read rollup rows through it. Rows come back typed
/// (<see cref="RollupRecord"/>), unsummed (callers add them up with <see cref="RollupTotals"/>).
/// A missing table reads as no rows: it appears with the first rollup written. Filters are built
/// with <see cref="TableClient.CreateQueryFilter(System.FormattableString)"/> (values escaped); the
/// hour range is a RowKey range, since row keys start with yyyyMMddHH.
/// <para>
/// Fleet scale (docs/ledger.md, "Compaction"): for a task that compaction has reached, an hour
/// before its <c>CompactedBefore</c> is read from one fleet row per route / model / client (instance
/// <see cref="FleetRollups.Instance"/>) instead of one row per instance, unless a marker says an
/// instance changed it since (then its instance rows are read); later hours are read per instance.
/// Each hour comes from exactly one of the two, so nothing is counted twice. Reads of one instance's
/// rows (<see cref="RollupRead.Instance"/>, <see cref="RollupRead.ExceptInstance"/>) read instance rows only.
/// </para>
/// </summary>
public sealed class RollupStore
{
    /// <summary>Columns every read returns, whatever else it asks for.</summary>
    public static readonly IReadOnlyList<string> KeyColumns = ["PartitionKey", "RowKey", "Task", "Hour", "Route", "Model", "Client", "Instance"];

    private static readonly string[] MarkerColumns = ["PartitionKey", "RowKey"]; // keys only

    /// <summary>Tasks a read of every task reads at once.</summary>
    private const int ReadParallelism = 4;

    private static readonly string[] StateColumns = ["PartitionKey", "RowKey", "CompactedBefore", "DaysCompactedBefore"];

    private static readonly string[] SpendColumns = ["PartitionKey", "RowKey", "Client", "CostNanoUsd", "OpenCostNanoUsd", "OwnOpenCostNanoUsd", "Through", "AsOf"];

    private readonly TableClient _table;
    private readonly TableClient _fleet;

    public RollupStore(TableServiceClient service, IOptions<StorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(storage);
        _table = service.GetTableClient(storage.Value.RollupsTable);
        _fleet = service.GetTableClient(storage.Value.FleetRollupsTableName);
    }

    /// <summary>The rows the query selects, per task in hour order.</summary>
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
        var read = 0;
        var rows = query.PerInstance || query.Instance is not null || query.ExceptInstance is not null
            ? InstanceRowsAsync(query, cancellationToken)
            : FleetAwareAsync(query, cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            if (query.Take is { } limit && read >= limit)
            {
                yield break;
            }

            read++;
            yield return row;
        }
    }

    /// <summary>Per task: how far compaction has folded its hours and days (the state rows of the fleet table).</summary>
    public async Task<IReadOnlyDictionary<string, CompactionState>> CompactedBeforeAsync(string? task, CancellationToken cancellationToken)
    {
        var filter = task is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {FleetRollups.StatePartition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {FleetRollups.StatePartition} and RowKey eq {task}");
        var states = new SortedDictionary<string, CompactionState>(StringComparer.Ordinal);
        await foreach (var state in _fleet.QueryOrEmptyAsync(filter, StateColumns, cancellationToken).ConfigureAwait(false))
        {
            if (FleetRollups.StateOf(state) is { } compacted)
            {
                states[state.RowKey] = compacted;
            }
        }

        return states;
    }

    /// <summary>The keys of one task's day rows of a day (compaction deletes those a refold no longer writes).</summary>
    public async Task<IReadOnlyList<string>> DayRowKeysAsync(string task, DateOnly day, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var key in _fleet.QueryOrEmptyAsync(FleetRollups.SpendDayFilter(FleetRollups.DayPartition(task), day), MarkerColumns, cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key.RowKey);
        }

        return keys;
    }

    /// <summary>
    /// The markers (<see cref="RollupMarkers"/>) of one task or every task, with their ETags (compaction deletes
    /// each only if unchanged), optionally only those of hours in [<paramref name="from"/>, <paramref name="to"/>):
    /// marker keys start with the hour, so that is a key range.
    /// </summary>
    public async Task<IReadOnlyList<RollupMarker>> MarkersAsync(string? task, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var low = from is { } f ? RollupMarkers.Prefix + RollupEntity.HourPrefix(f) : RollupMarkers.Prefix;
        var high = to is { } t ? RollupMarkers.Prefix + RollupEntity.HourPrefix(t) : RollupMarkers.End;
        var range = TableClient.CreateQueryFilter($"RowKey ge {low} and RowKey lt {high}");
        var filter = task is null ? range : TableClient.CreateQueryFilter($"PartitionKey eq {task}") + " and " + range;
        var markers = new List<RollupMarker>();
        await foreach (var marker in _table.QueryOrEmptyAsync(filter, MarkerColumns, cancellationToken).ConfigureAwait(false))
        {
            markers.Add(new RollupMarker(marker.PartitionKey, marker.RowKey, RollupMarkers.HourOf(marker.RowKey), marker.ETag));
        }

        return markers;
    }

    /// <summary>
    /// The hours of one task in [<paramref name="from"/>, <paramref name="to"/>) that hold instance rows, or with
    /// <paramref name="fleet"/> fleet hour rows (keys only: compaction's scans for unmarked hours and unfolded days).
    /// </summary>
    public async Task<ISet<DateTimeOffset>> HoursWithRowsAsync(string task, DateTimeOffset? from, DateTimeOffset to, CancellationToken cancellationToken, bool fleet = false)
    {
        var hours = new HashSet<DateTimeOffset>();
        await foreach (var key in (fleet ? _fleet : _table).QueryOrEmptyAsync(Filter(new RollupRead { Task = task, From = from, To = to }), MarkerColumns, cancellationToken).ConfigureAwait(false))
        {
            hours.Add(RollupEntity.ParseHour(key.RowKey));
        }

        return hours;
    }

    /// <summary>Every task (partition) with instance rows: a key-only scan of the table, which compaction's first run makes once.</summary>
    public async Task<IReadOnlyList<string>> TasksWithRowsAsync(CancellationToken cancellationToken)
    {
        var tasks = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in _table.QueryOrEmptyAsync(TableClient.CreateQueryFilter($"RowKey lt {"~"}"), MarkerColumns, cancellationToken).ConfigureAwait(false))
        {
            tasks.Add(key.PartitionKey);
        }

        return [.. tasks.Order(StringComparer.Ordinal)];
    }

    /// <summary>Hours some instance changed since compaction last folded them (their markers), per task.</summary>
    public async Task<ISet<(string Task, DateTimeOffset Hour)>> MarkedHoursAsync(string? task, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken) =>
        (await MarkersAsync(task, from is { } f ? RollupKey.HourOf(f) : null, to, cancellationToken).ConfigureAwait(false)).Select(m => (m.Task, m.Hour)).ToHashSet();

    /// <summary>
    /// A day's spend rows for budgets (<see cref="DaySpend"/>), in two queries whatever the fleet's size:
    /// the shared rows (the day's header and one row per client), then this instance's own copies. In that
    /// order: compaction writes the own copies before the shared rows, so an own copy older than the
    /// shared row it stands beside was not rewritten by that run (the run saw none of the instance's spend).
    /// </summary>
    public async Task<FleetDaySpend> FleetSpendAsync(DateOnly day, string instance, CancellationToken cancellationToken)
    {
        DaySpend? header = null;
        var shared = new Dictionary<string, DaySpend>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in _fleet.QueryOrEmptyAsync(FleetRollups.SpendDayFilter(FleetRollups.SpendPartition, day), SpendColumns, cancellationToken).ConfigureAwait(false))
        {
            if (DaySpend.FromEntity(row) is { } spend)
            {
                if (spend.Client.Length == 0)
                {
                    header = spend;
                }
                else
                {
                    shared[spend.Client] = spend;
                }
            }
        }

        var own = new Dictionary<string, DaySpend>(StringComparer.OrdinalIgnoreCase);
        if (header is not null)
        {
            await foreach (var row in _fleet.QueryOrEmptyAsync(FleetRollups.SpendDayFilter(FleetRollups.OwnSpendPartition(instance), day), SpendColumns, cancellationToken).ConfigureAwait(false))
            {
                if (DaySpend.FromEntity(row) is { Client.Length: > 0 } spend)
                {
                    own[spend.Client] = spend;
                }
            }
        }

        return new FleetDaySpend(header, shared, own);
    }

    /// <summary>Compacted rows only (compaction sums its own fleet rows for the day's spend).</summary>
    public IAsyncEnumerable<RollupRecord> FleetRowsAsync(RollupRead query, CancellationToken cancellationToken) =>
        QueryTableAsync(_fleet, query, cancellationToken);

    private async IAsyncEnumerable<RollupRecord> FleetAwareAsync(RollupRead query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var states = await CompactedBeforeAsync(query.Task, cancellationToken).ConfigureAwait(false);
        if (states.Count == 0)
        {
            await foreach (var row in InstanceRowsAsync(query, cancellationToken).ConfigureAwait(false))
            {
                yield return row;
            }

            yield break;
        }

        // Tasks are read ReadParallelism at a time and returned in order.
        using var gate = new SemaphoreSlim(ReadParallelism);
        var reads = states.Select(async state =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await ReadTaskAsync(query with { Task = state.Key }, state.Value, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        try
        {
            foreach (var read in reads)
            {
                foreach (var row in await read.ConfigureAwait(false))
                {
                    yield return row;
                }
            }
        }
        finally
        {
            // A reader that stops early (Take) or fails leaves no read running behind it.
            await Task.WhenAll(reads.Select(r => r.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false);
        }

        if (query.Task is null && query.KnownTasks is { } known)
        {
            // Known tasks compaction has not reached yet (new in the catalog): their partitions' instance rows.
            foreach (var task in known.Where(t => !states.ContainsKey(t)).Order(StringComparer.Ordinal))
            {
                await foreach (var row in InstanceRowsAsync(query with { Task = task }, cancellationToken).ConfigureAwait(false))
                {
                    yield return row;
                }
            }
        }
        else if (query.Task is null)
        {
            // Tasks compaction has not reached yet (new, or not in the catalog): their instance rows, a scan of the table.
            var others = string.Join(" and ", states.Keys.Select(t => "(" + TableClient.CreateQueryFilter($"PartitionKey ne {t}") + ")"));
            await foreach (var row in QueryTableAsync(_table, query, cancellationToken, others).ConfigureAwait(false))
            {
                yield return row;
            }
        }
    }

    /// <summary>
    /// One compacted task's rows: with <see cref="RollupRead.DayRows"/>, day rows for the whole days before its
    /// day watermark that carry no marker; for the rest, fleet hour rows before its hour watermark (instance rows
    /// for marked hours) and instance rows from it on.
    /// </summary>
    private async Task<List<RollupRecord>> ReadTaskAsync(RollupRead query, CompactionState state, CancellationToken cancellationToken)
    {
        var rows = new List<RollupRecord>();
        if (query.DayRows && state.DaysBefore is { } daysBefore)
        {
            // The whole days of [From, To) before the day watermark.
            DateTimeOffset? first = query.From is { } f ? (FleetRollups.DayOf(f) == f ? f : FleetRollups.DayOf(f).AddDays(1)) : null;
            var end = query.To is { } t && FleetRollups.DayOf(t) < daysBefore ? FleetRollups.DayOf(t) : daysBefore;
            if (first is not { } start || start < end)
            {
                var markedDays = (await MarkedHoursAsync(query.Task, first, end, cancellationToken).ConfigureAwait(false)).Select(m => FleetRollups.DayOf(m.Hour)).ToHashSet();
                await foreach (var row in QueryFilterAsync(_fleet, DayFilter(query, first, end), query, cancellationToken).ConfigureAwait(false))
                {
                    if (!markedDays.Contains(FleetRollups.DayOf(row.Hour)))
                    {
                        rows.Add(row);
                    }
                }

                foreach (var day in markedDays.Order())
                {
                    await ReadHoursAsync(query with { From = day, To = day.AddDays(1) }, state.CompactedBefore, rows, cancellationToken).ConfigureAwait(false);
                }

                if (first is { } before && query.From < before)
                {
                    await ReadHoursAsync(query with { To = before }, state.CompactedBefore, rows, cancellationToken).ConfigureAwait(false);
                }

                if (query.To is not { } to || to > end)
                {
                    await ReadHoursAsync(query with { From = end }, state.CompactedBefore, rows, cancellationToken).ConfigureAwait(false);
                }

                rows.Sort((a, b) => a.Hour.CompareTo(b.Hour));
                return rows;
            }
        }

        await ReadHoursAsync(query, state.CompactedBefore, rows, cancellationToken).ConfigureAwait(false);
        rows.Sort((a, b) => a.Hour.CompareTo(b.Hour));
        return rows;
    }

    /// <summary>Hour rows of one compacted task: fleet rows before its watermark (instance rows for marked hours), instance rows from it on.</summary>
    private async Task ReadHoursAsync(RollupRead query, DateTimeOffset before, List<RollupRecord> rows, CancellationToken cancellationToken)
    {
        var task = query.Task!;
        var compactedTo = query.To is { } to && to < before ? to : before;
        if (query.From is not { } from || from < compactedTo)
        {
            // Only the markers of the closed hours asked for (the open hours' markers, one per instance, are not needed).
            var marked = await MarkedHoursAsync(task, query.From, compactedTo, cancellationToken).ConfigureAwait(false);
            var closed = query with { To = compactedTo };
            await foreach (var row in QueryTableAsync(_fleet, closed, cancellationToken).ConfigureAwait(false))
            {
                if (!marked.Contains((task, row.Hour)))
                {
                    rows.Add(row);
                }
            }

            foreach (var (_, hour) in marked.Order())
            {
                await foreach (var row in QueryTableAsync(_table, query with { From = hour, To = hour.AddHours(1) }, cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(row);
                }
            }
        }

        if (query.To is not { } end || end > before)
        {
            var open = query with { From = query.From is { } f && f > before ? f : before };
            await foreach (var row in QueryTableAsync(_table, open, cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row);
            }
        }
    }

    /// <summary>The filter of a task's day rows of the days [<paramref name="from"/>, <paramref name="to"/>) (and the query's client).</summary>
    private static string DayFilter(RollupRead query, DateTimeOffset? from, DateTimeOffset to)
    {
        var parts = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {FleetRollups.DayPartition(query.Task!)}") };
        if (from is { } f)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey ge {FleetRollups.DayKey(DateOnly.FromDateTime(f.UtcDateTime))}"));
        }

        parts.Add(TableClient.CreateQueryFilter($"RowKey lt {FleetRollups.DayKey(DateOnly.FromDateTime(to.UtcDateTime))}"));
        if (query.Client is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"Client eq {query.Client}"));
        }

        return string.Join(" and ", parts.Select(p => "(" + p + ")"));
    }

    private IAsyncEnumerable<RollupRecord> InstanceRowsAsync(RollupRead query, CancellationToken cancellationToken) =>
        QueryTableAsync(_table, query, cancellationToken);

    private static IAsyncEnumerable<RollupRecord> QueryTableAsync(TableClient table, RollupRead query, CancellationToken cancellationToken, string? extraFilter = null)
    {
        var filter = Filter(query);
        if (!string.IsNullOrEmpty(extraFilter))
        {
            filter = filter is null ? extraFilter : filter + " and " + extraFilter;
        }

        return QueryFilterAsync(table, filter, query, cancellationToken);
    }

    /// <summary>Rows of a filter, with the query's columns and page size.</summary>
    private static async IAsyncEnumerable<RollupRecord> QueryFilterAsync(TableClient table, string? filter, RollupRead query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var select = query.Columns is null ? null : KeyColumns.Concat(query.Columns).Distinct(StringComparer.Ordinal).ToList();
        var pageSize = query.Take is { } take ? Math.Clamp(take, 1, 1_000) : 1_000;
        await foreach (var entity in table.QueryOrEmptyAsync(filter, select, cancellationToken, pageSize).ConfigureAwait(false))
        {
            yield return RollupEntity.FromEntity(entity);
        }
    }

    /// <summary>The OData filter of a query on one table. Marker and state rows (keys from '~') are never selected.</summary>
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

        parts.Add(query.To is { } to
            ? TableClient.CreateQueryFilter($"RowKey lt {RollupEntity.HourPrefix(to)}")
            : TableClient.CreateQueryFilter($"RowKey lt {"~"}"));

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

        return string.Join(" and ", parts.Select(p => "(" + p + ")"));
    }
}
