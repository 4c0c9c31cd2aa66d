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
public sealed class RollupUsageReader(RollupStore rollups, IOptions<DistillationOptions> options)
{
    private static readonly string[] VersionColumns = ["PromptVersion"];

    // Only what the economics use: the latency histogram (up to 135 columns) would multiply what is read.
    private static readonly string[] UsageColumns =
    [
        "PromptVersion", "Calls", "Errors", "Fallbacks", "Escalations", "RuleViolations", "CostNanoUsd",
        "SystemTokens", "ExamplesTokens", "ContextTokens", "CallerTokens", "CachedInputTokens", "OutputTokens", "FirstCallAt", "LastCallAt",
    ];

    /// <summary>
    /// Usage over [windowStart, windowEnd) (whole UTC days) once the task has history before the
    /// window; otherwise (a new task) a provisional span from its first call up to <paramref name="now"/>,
    /// today's hours included. And the prompt version's start as of <paramref name="now"/>.
    /// </summary>
    public async Task<TaskRollupSummary> ReadAsync(string task, string currentPromptVersion, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(task);
        var window = new RequestSums();
        var sinceStart = new RequestSums();
        var run = new PromptVersionRun(currentPromptVersion);
        DateTimeOffset? firstCall = null;
        var rows = 0;

        // One query from the window's first hour on: window rows are summed for a full window; every
        // row (today's too) for a provisional span and to date the prompt. Closed days come as day rows
        // (one per route / model / client / prompt version, dated by their first hour), so a version's
        // start is found to the hour unless versions alternated within one day.
        await foreach (var rollup in rollups.QueryAsync(new RollupRead { Task = task, From = windowStart, Columns = UsageColumns, DayRows = true }, cancellationToken))
        {
            rows++;
            run.Add(rollup.Hour, rollup.PromptVersion);
            if (rollup.Calls > 0)
            {
                var first = rollup.FirstCallAt ?? rollup.Hour;
                firstCall = firstCall is null || first < firstCall ? first : firstCall;
            }

            sinceStart.Add(rollup);
            if (rollup.Hour < RollupKey.HourOf(windowEnd))
            {
                window.Add(rollup);
            }
        }

        var hasHistory = await rollups.AnyAsync(new RollupRead { Task = task, To = windowStart }, cancellationToken);

        // The run reached the window's start unbroken: its start lies further back.
        var lookedBackTo = windowStart;
        var oldest = windowStart.AddDays(-options.Value.PromptHistoryDays);
        var step = TimeSpan.FromDays(Math.Max(1, (windowEnd - windowStart).TotalDays));
        while (hasHistory && !run.IsBroken && lookedBackTo > oldest)
        {
            var chunkStart = lookedBackTo - step < oldest ? oldest : lookedBackTo - step;
            await foreach (var rollup in rollups.QueryAsync(new RollupRead { Task = task, From = chunkStart, To = lookedBackTo, Columns = VersionColumns, DayRows = true }, cancellationToken))
            {
                rows++;
                run.Add(rollup.Hour, rollup.PromptVersion);
            }

            lookedBackTo = chunkStart;
        }

        var usage = Window(hasHistory, firstCall, window, sinceStart, windowStart, windowEnd, now);
        return new TaskRollupSummary(usage, run.Since ?? now, rows);
    }

    /// <summary>
    /// A full window when the task has rows before it, or its first call falls on the window's first
    /// day (that day counts as observed); otherwise the provisional span from the first call to now
    /// (at least a minute, so a burst is not divided by zero).
    /// </summary>
    private static TaskUsageWindow Window(bool hasHistory, DateTimeOffset? firstCall, RequestSums window, RequestSums sinceStart, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset now)
    {
        var windowDays = Math.Max(1, (int)Math.Round((windowEnd - windowStart).TotalDays));
        if (hasHistory || (firstCall is { } opening && opening < windowStart + TimeSpan.FromDays(1)))
        {
            return new TaskUsageWindow { Days = windowDays, From = windowStart, To = windowEnd, Large = window.Large.ToUsage(), Small = window.Small.ToUsage() };
        }

        if (firstCall is not { } first)
        {
            return new TaskUsageWindow { Days = windowDays, Provisional = true, To = now };
        }

        var span = now - first < MinimumSpan ? MinimumSpan : now - first;
        return new TaskUsageWindow
        {
            Days = (decimal)span.Ticks / TimeSpan.TicksPerDay,
            Provisional = true,
            From = first,
            To = now,
            Large = sinceStart.Large.ToUsage(),
            Small = sinceStart.Small.ToUsage(),
        };
    }

    private static readonly TimeSpan MinimumSpan = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Requests per route: a small-route row's calls are requests decided for small; a large-route
    /// row's fallbacks are the second call of such requests, so their cost moves to the small route.
    /// </summary>
    private sealed class RequestSums
    {
        public RouteUsageSum Large { get; } = new();

        public RouteUsageSum Small { get; } = new();

        public void Add(RollupRecord rollup)
        {
            var succeeded = Math.Max(0, rollup.Calls - rollup.Errors);
            if (RouteNames.Parse(rollup.Route) == RouteTarget.Small)
            {
                // Every request decided for small makes exactly one small call (escalated or not).
                Small.Add(rollup, succeeded, share: 1m);
                return;
            }

            // A fallback is the second call of a request decided for small: its cost belongs to that
            // request (small route), and counting it as a large call would count the request twice.
            var fallbacks = Math.Min(rollup.Fallbacks, succeeded);
            var fallbackShare = succeeded == 0 ? 0m : (decimal)fallbacks / succeeded;
            Small.AddCost(decimal.Round(rollup.CostNanoUsd * fallbackShare));
            Large.Add(rollup, succeeded - fallbacks, share: 1m - fallbackShare);
        }
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
        private long _violations;

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
            _violations += Part(rollup.RuleViolations, share);
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
            RuleViolations = Math.Min(_violations, _calls),
        };
    }
}
