using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Router.Core.Ledger;
using Router.Core.Routing;

namespace Router.Core.Distillation.Reporting;

/// <summary>
/// Reads one task's RouterRollups rows (never raw calls) for the report: PartitionKey = task,
/// RowKey range by hour prefix. Sums rows across instances, clients and models per route, and
/// finds the start of the current prompt version (<see cref="PromptVersionRun"/>), looking back
/// before the window in window-sized steps until the run breaks or PromptHistoryDays is reached.
/// </summary>
public sealed class RollupUsageReader(TableServiceClient service, IOptions<StorageOptions> storage, IOptions<DistillationOptions> options)
{
    private static readonly string[] VersionColumns = ["RowKey", "Hour", "PromptVersion"];

    // Only what the economics use: the latency histogram (15 columns) would double what is read.
    private static readonly string[] UsageColumns =
    [
        "RowKey", "Hour", "Route", "PromptVersion", "Calls", "Errors", "Fallbacks", "Escalations", "CostNanoUsd",
        "SystemTokens", "ExamplesTokens", "ContextTokens", "CallerTokens", "CachedInputTokens", "OutputTokens",
    ];

    private readonly TableClient _rollups = service.GetTableClient(storage.Value.RollupsTable);

    /// <summary>
    /// Usage over [windowStart, windowEnd) (whole UTC days) and the prompt version's start as of <paramref name="now"/>.
    /// </summary>
    public async Task<TaskRollupSummary> ReadAsync(string task, string currentPromptVersion, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(task);
        var large = new RouteUsageSum();
        var small = new RouteUsageSum();
        var run = new PromptVersionRun(currentPromptVersion);
        var rows = 0;

        // One query from the window's first hour on: window rows are summed, today's rows only date the prompt.
        var from = RollupEntity.HourPrefix(windowStart);
        var windowEndHour = RollupEntity.HourPrefix(windowEnd);
        await foreach (var entity in _rollups.QueryOrEmptyAsync(TableClient.CreateQueryFilter($"PartitionKey eq {task} and RowKey ge {from}"), UsageColumns, cancellationToken))
        {
            rows++;
            var rollup = RollupEntity.FromEntity(entity) with { Task = task };
            run.Add(rollup.Hour, rollup.PromptVersion);
            if (string.CompareOrdinal(entity.RowKey, windowEndHour) >= 0)
            {
                continue;
            }

            var succeeded = Math.Max(0, rollup.Calls - rollup.Errors);
            if (RouteNames.Parse(rollup.Route) == RouteTarget.Small)
            {
                // Every request decided for small makes exactly one small call (escalated or not).
                small.Add(rollup, succeeded, share: 1m);
                continue;
            }

            // A fallback is the second call of a request decided for small: its cost belongs to that
            // request (small route), and counting it as a large call would count the request twice.
            var fallbacks = Math.Min(rollup.Fallbacks, succeeded);
            var fallbackShare = succeeded == 0 ? 0m : (decimal)fallbacks / succeeded;
            small.AddCost(decimal.Round(rollup.CostNanoUsd * fallbackShare));
            large.Add(rollup, succeeded - fallbacks, share: 1m - fallbackShare);
        }

        // The run reached the window's start unbroken: its start lies further back.
        var lookedBackTo = windowStart;
        var oldest = windowStart.AddDays(-options.Value.PromptHistoryDays);
        var step = TimeSpan.FromDays(Math.Max(1, (windowEnd - windowStart).TotalDays));
        while (!run.IsBroken && lookedBackTo > oldest)
        {
            var chunkStart = lookedBackTo - step < oldest ? oldest : lookedBackTo - step;
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {task} and RowKey ge {RollupEntity.HourPrefix(chunkStart)} and RowKey lt {RollupEntity.HourPrefix(lookedBackTo)}");
            await foreach (var entity in _rollups.QueryOrEmptyAsync(filter, VersionColumns, cancellationToken))
            {
                rows++;
                run.Add(entity.GetDateTimeOffset("Hour") ?? default, entity.GetString("PromptVersion"));
            }

            lookedBackTo = chunkStart;
        }

        var usage = new TaskUsageWindow
        {
            Days = Math.Max(1, (int)Math.Round((windowEnd - windowStart).TotalDays)),
            Large = large.ToUsage(),
            Small = small.ToUsage(),
        };
        return new TaskRollupSummary(usage, run.Since ?? now, rows);
    }

    /// <summary>Running sums of one route; successful calls only, since failed calls carry no tokens or cost and would dilute the means.</summary>
    private sealed class RouteUsageSum
    {
        private long _calls;
        private long _costNano;
        private long _system;
        private long _examples;
        private long _context;
        private long _caller;
        private long _cached;
        private long _output;
        private long _escalations;

        /// <summary>Adds <paramref name="share"/> of the row's cost and tokens (the part that belongs to this route).</summary>
        public void Add(RollupRecord rollup, long calls, decimal share)
        {
            _calls += calls;
            _costNano += Part(rollup.CostNanoUsd, share);
            _system += Part(rollup.SystemTokens, share);
            _examples += Part(rollup.ExamplesTokens, share);
            _context += Part(rollup.ContextTokens, share);
            _caller += Part(rollup.CallerTokens, share);
            _cached += Part(rollup.CachedInputTokens, share);
            _output += Part(rollup.OutputTokens, share);
            _escalations += rollup.Escalations;
        }

        public void AddCost(decimal nanoUsd) => _costNano += (long)nanoUsd;

        private static long Part(long value, decimal share) => share == 1m ? value : (long)decimal.Round(value * share);

        public RouteUsage ToUsage() => new()
        {
            Calls = _calls,
            CostUsd = _costNano / CallRecordEntity.NanoPerUsd,
            SystemTokens = _system,
            ExampleTokens = _examples,
            ContextTokens = _context,
            CallerInputTokens = _caller,
            CachedInputTokens = _cached,
            OutputTokens = _output,
            Escalations = Math.Min(_escalations, _calls),
        };
    }
}
