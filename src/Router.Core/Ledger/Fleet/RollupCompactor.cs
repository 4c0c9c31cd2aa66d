using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Catalog;

namespace Router.Core.Ledger.Fleet;

/// <summary>
/// Folds closed hours' per-instance rollup rows into one fleet row per task / hour / route / model /
/// client (docs/ledger.md, "Compaction"). Per task, in order: read the markers (with their ETags),
/// find the hours to fold (marked closed hours, plus on the first run every closed hour, and any
/// closed hour since the watermark with rows but no marker), fold each hour from scratch into
/// absolute fleet rows, delete each marker only if unchanged (If-Match), then move the watermark.
/// Every step is idempotent: a run that dies anywhere is repaired by the next, and a row written
/// during a run keeps its marker, so it is folded next time, never lost or counted twice.
/// Finally today's spend per client (compacted and open hours, and each instance's own share) is written for budgets.
/// </summary>
public sealed partial class RollupCompactor
{
    private static readonly string[] SpendColumns = ["CostNanoUsd"];

    private readonly TableClient _rollups;
    private readonly TableClient _fleet;
    private readonly RollupStore _store;
    private readonly TaskCatalog _catalog;
    private readonly IOptions<CompactionOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RollupCompactor> _logger;

    public RollupCompactor(TableServiceClient service, IOptions<StorageOptions> storage, RollupStore store, TaskCatalog catalog, IOptions<CompactionOptions> options, TimeProvider time, ILogger<RollupCompactor> logger)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(storage);
        _rollups = service.GetTableClient(storage.Value.RollupsTable);
        _fleet = service.GetTableClient(storage.Value.FleetRollupsTableName);
        _store = store;
        _catalog = catalog;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task<CompactionRun> RunAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var closedBefore = RollupKey.HourOf(_time.GetUtcNow() - options.ClosedAfter);
        if (!options.Enabled)
        {
            return CompactionRun.Skipped(closedBefore);
        }

        var started = _time.GetTimestamp();
        await _fleet.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var states = await _store.CompactedBeforeAsync(null, cancellationToken).ConfigureAwait(false);
        var tasks = _catalog.Tasks.Select(t => t.Name).Concat(states.Keys).Distinct(StringComparer.Ordinal).ToList();
        if (states.Count == 0)
        {
            // The first run: every task with rows gets a state (rows of tasks gone from the catalog too), so that
            // this and every later run, and readers of every task, read each task by its partition, never scanning the table.
            tasks = [.. tasks.Union(await _store.TasksWithRowsAsync(cancellationToken).ConfigureAwait(false), StringComparer.Ordinal)];
        }
        else if (states.Values.Any(s => s.CompactedBefore < closedBefore))
        {
            // Once an hour (an hour has just closed): tasks that neither the catalog nor compaction knows but some
            // instance writes (its catalog differs, e.g. during a deploy), found by their markers across the table.
            var marked = await _store.MarkersAsync(null, null, null, cancellationToken).ConfigureAwait(false);
            tasks = [.. tasks.Union(marked.Select(m => m.Task), StringComparer.Ordinal)];
        }

        // Each task's markers, by partition: the closed hours' are folded, the open hours' are left.
        var markers = new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<RollupMarker>>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(tasks, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, async (task, ct) =>
            markers[task] = await _store.MarkersAsync(task, null, null, ct).ConfigureAwait(false)).ConfigureAwait(false);

        var hours = 0;
        var days = 0;
        var cleared = 0;
        long read = 0, written = 0;
        await Parallel.ForEachAsync(tasks, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, async (task, ct) =>
        {
            var result = await CompactTaskAsync(task, states.GetValueOrDefault(task), markers.GetValueOrDefault(task) ?? [], closedBefore, ct).ConfigureAwait(false);
            Interlocked.Add(ref hours, result.Hours);
            Interlocked.Add(ref days, result.Days);
            Interlocked.Add(ref cleared, result.Cleared);
            Interlocked.Add(ref read, result.Read);
            Interlocked.Add(ref written, result.Written);
        }).ConfigureAwait(false);

        await WriteSpendAsync(tasks, closedBefore, cancellationToken).ConfigureAwait(false);
        var run = new CompactionRun(true, tasks.Count, hours, read, written, cleared, closedBefore, days);
        var elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
        LogRun(_logger, run.Tasks, run.HoursFolded, run.InstanceRowsRead, run.FleetRowsWritten, run.DaysFolded, run.MarkersCleared, closedBefore, elapsedMs);
        return run;
    }

    private async Task<(int Hours, int Days, int Cleared, long Read, long Written)> CompactTaskAsync(string task, CompactionState? state, IReadOnlyList<RollupMarker> markers, DateTimeOffset closedBefore, CancellationToken cancellationToken)
    {
        var compactedBefore = state?.CompactedBefore;
        var closedMarkers = markers.Where(m => m.Hour < closedBefore).ToList();
        var toFold = new SortedSet<DateTimeOffset>(closedMarkers.Select(m => m.Hour));

        // Hours with rows but no marker: all history on the first run (rows from before markers existed),
        // and later only the hours since the watermark (a writer that wrote no marker, e.g. an old version).
        var scanFrom = compactedBefore;
        if (scanFrom is null || scanFrom < closedBefore)
        {
            toFold.UnionWith(await _store.HoursWithRowsAsync(task, scanFrom, closedBefore, cancellationToken).ConfigureAwait(false));
        }

        long read = 0, written = 0;
        foreach (var hour in toFold)
        {
            var rows = await _store.ReadAsync(new RollupRead { Task = task, From = hour, To = hour.AddHours(1), PerInstance = true }, cancellationToken).ConfigureAwait(false);
            read += rows.Count;
            var fleet = rows.GroupBy(r => (r.Route, r.Model, r.Client)).Select(g =>
                RollupTotals.Of(g).ToRecord(new RollupKey(task, hour, g.Key.Route, g.Key.Model, g.Key.Client), FleetRollups.Instance, g.OrderBy(r => r.LastCallAt).Last().PromptVersion)).ToList();
            foreach (var chunk in fleet.Chunk(TableCallLedger.MaxBatchSize))
            {
                await _fleet.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, RollupEntity.ToEntity(r))), cancellationToken).ConfigureAwait(false);
                written += chunk.Length;
            }
        }

        // Closed days (every hour compacted) from the fleet hour rows just written, before any marker goes:
        // the days of the hours just folded, and the days since the day watermark (first time: every day).
        var closedDays = FleetRollups.DayOf(closedBefore);
        var daysToFold = toFold.Select(FleetRollups.DayOf).Where(d => d < closedDays).ToHashSet();
        if (state?.DaysBefore is not { } daysBefore || daysBefore < closedDays)
        {
            var fleetHours = await _store.HoursWithRowsAsync(task, state?.DaysBefore, closedDays, cancellationToken, fleet: true).ConfigureAwait(false);
            daysToFold.UnionWith(fleetHours.Select(FleetRollups.DayOf));
        }

        foreach (var day in daysToFold.Order())
        {
            await FoldDayAsync(task, day, cancellationToken).ConfigureAwait(false);
        }

        var cleared = 0;
        foreach (var marker in closedMarkers)
        {
            try
            {
                // Only if no instance rewrote it since it was read: a newer write is folded by the next run.
                await _rollups.DeleteEntityAsync(marker.Task, marker.RowKey, marker.ETag, cancellationToken).ConfigureAwait(false);
                cleared++;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
            }
        }

        var watermark = compactedBefore is { } w && w > closedBefore ? w : closedBefore;
        var dayWatermark = state?.DaysBefore is { } dw && dw > closedDays ? dw : closedDays;
        await _fleet.UpsertEntityAsync(FleetRollups.State(task, new CompactionState(watermark, dayWatermark)), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return (toFold.Count, daysToFold.Count, cleared, read, written);
    }

    /// <summary>
    /// One closed day of one task folded from scratch from its fleet hour rows into one day row per route /
    /// model / client / prompt version; rows a previous fold wrote and this one does not are deleted in the
    /// same transaction (one entity group, atomic up to 100 rows).
    /// </summary>
    private async Task FoldDayAsync(string task, DateTimeOffset day, CancellationToken cancellationToken)
    {
        var hours = new List<RollupRecord>();
        await foreach (var row in _store.FleetRowsAsync(new RollupRead { Task = task, From = day, To = day.AddDays(1) }, cancellationToken).ConfigureAwait(false))
        {
            hours.Add(row);
        }

        var date = DateOnly.FromDateTime(day.UtcDateTime);
        var rows = hours.GroupBy(r => (r.Route, r.Model, r.Client, r.PromptVersion)).Select(g =>
            FleetRollups.DayEntity(RollupTotals.Of(g).ToRecord(new RollupKey(task, g.Min(r => r.Hour), g.Key.Route, g.Key.Model, g.Key.Client), FleetRollups.Instance, g.Key.PromptVersion))).ToList();
        var written = rows.Select(r => r.RowKey).ToHashSet(StringComparer.Ordinal);
        var stale = (await _store.DayRowKeysAsync(task, date, cancellationToken).ConfigureAwait(false)).Where(k => !written.Contains(k));
        var actions = rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r))
            .Concat(stale.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(FleetRollups.DayPartition(task), k) { ETag = ETag.All })))
            .ToList();
        foreach (var chunk in actions.Chunk(TableCallLedger.MaxBatchSize))
        {
            await _fleet.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Today's spend rows for budgets (<see cref="DaySpend"/>, docs/ledger.md "Budgets at fleet scale"): per
    /// client, the compacted hours summed from the fleet rows and the open hours from the instance rows; per
    /// instance seen in the open hours, its own copy with its share. Own copies first, the shared rows next,
    /// the day's header last: a reader that reads the shared rows and then its own copy can tell whether
    /// the run that wrote the shared row saw its spend. Tomorrow's header too (nothing spent yet), so a
    /// refresh just after midnight reads rows rather than every instance's.
    /// </summary>
    private async Task WriteSpendAsync(IReadOnlyList<string> tasks, DateTimeOffset closedBefore, CancellationToken cancellationToken)
    {
        var asOf = _time.GetUtcNow();
        var day = DateOnly.FromDateTime(asOf.UtcDateTime);
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = start.AddDays(1);
        var through = closedBefore < start ? start : closedBefore > end ? end : closedBefore;

        var compacted = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new Dictionary<string, long>(StringComparer.Ordinal);
        var own = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var gate = new object();
        await Parallel.ForEachAsync(tasks, new ParallelOptions { MaxDegreeOfParallelism = _options.Value.Parallelism, CancellationToken = cancellationToken }, async (task, ct) =>
        {
            if (through > start)
            {
                await foreach (var row in _store.FleetRowsAsync(new RollupRead { Task = task, From = start, To = through, Columns = SpendColumns }, ct).ConfigureAwait(false))
                {
                    lock (gate)
                    {
                        compacted[row.Client] = compacted.GetValueOrDefault(row.Client) + row.CostNanoUsd;
                    }
                }
            }

            await foreach (var row in _store.QueryAsync(new RollupRead { Task = task, From = through, To = end, PerInstance = true, Columns = SpendColumns }, ct).ConfigureAwait(false))
            {
                lock (gate)
                {
                    open[row.Client] = open.GetValueOrDefault(row.Client) + row.CostNanoUsd;
                    var mine = own.TryGetValue(row.Instance, out var m) ? m : own[row.Instance] = new Dictionary<string, long>(StringComparer.Ordinal);
                    mine[row.Client] = mine.GetValueOrDefault(row.Client) + row.CostNanoUsd;
                }
            }
        }).ConfigureAwait(false);

        DaySpend Row(string client, long ownNano) =>
            new(client, compacted.GetValueOrDefault(client), open.GetValueOrDefault(client), ownNano, through, asOf);

        await Parallel.ForEachAsync(own, new ParallelOptions { MaxDegreeOfParallelism = _options.Value.Parallelism, CancellationToken = cancellationToken }, async (instance, ct) =>
        {
            var partition = FleetRollups.OwnSpendPartition(instance.Key);
            foreach (var chunk in instance.Value.Chunk(TableCallLedger.MaxBatchSize))
            {
                await _fleet.SubmitTransactionAsync(chunk.Select(c => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(c.Key, c.Value).ToEntity(partition, day))), ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        var clients = compacted.Keys.Union(open.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var chunk in clients.Chunk(TableCallLedger.MaxBatchSize))
        {
            await _fleet.SubmitTransactionAsync(chunk.Select(c => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(c, 0).ToEntity(FleetRollups.SpendPartition, day))), cancellationToken).ConfigureAwait(false);
        }

        await _fleet.UpsertEntityAsync(new DaySpend(string.Empty, 0, 0, 0, through, asOf).ToEntity(FleetRollups.SpendPartition, day), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await _fleet.UpsertEntityAsync(new DaySpend(string.Empty, 0, 0, 0, end, asOf).ToEntity(FleetRollups.SpendPartition, day.AddDays(1)), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Rollup compaction: {Tasks} tasks, {Hours} hours folded from {Read} instance rows into {Written} fleet rows, {Days} days folded, {Cleared} markers cleared; compacted before {CompactedBefore:O} in {ElapsedMs:0} ms")]
    private static partial void LogRun(ILogger logger, int tasks, int hours, long read, long written, int days, int cleared, DateTimeOffset compactedBefore, double elapsedMs);
}
