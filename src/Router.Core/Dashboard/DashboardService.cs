using Router.Core.Catalog;
using Router.Core.Distillation.Reporting;
using Router.Core.Ledger;

namespace Router.Core.Dashboard;

/// <summary>
/// The dashboard's figures for every catalog task: daily series over the trailing window (today
/// included, so far) from the usage API's rollup reader, and the latest stored distillation report.
/// </summary>
public sealed class DashboardService(TaskCatalog catalog, UsageReader usage, DistillationReportService reports, TimeProvider time)
{
    /// <summary>What <see cref="DashboardBuilder"/> draws: counts, cost and the latency histogram (no tokens).</summary>
    public static readonly IReadOnlyList<string> DashboardColumns = ["Calls", "Errors", "Fallbacks", "CostNanoUsd", .. LatencyHistogram.Columns];

    /// <summary>Tasks read at once (each is a partition read of its own).</summary>
    private const int ReadParallelism = 4;

    public async Task<DashboardData> GetAsync(int days, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var firstDay = today.AddDays(1 - days);
        var from = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = RollupKey.HourOf(now).AddHours(1);

        var latest = reports.LatestAsync(cancellationToken);
        var rows = new IReadOnlyList<RollupRecord>[catalog.Tasks.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, catalog.Tasks.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (i, ct) => rows[i] = await usage.ReadRowsAsync(new UsageQuery { Task = catalog.Tasks[i].Name, From = from, To = to }, ct, DashboardColumns));
        var run = await latest;
        var tasks = catalog.Tasks
            .Select((task, i) => DashboardBuilder.Build(task, rows[i], firstDay, days, run?.Reports.FirstOrDefault(p => p.Task == task.Name)))
            .ToList();
        return new DashboardData(now, days, run, tasks);
    }
}
