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
    public async Task<DashboardData> GetAsync(int days, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var firstDay = today.AddDays(1 - days);
        var from = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = RollupKey.HourOf(now).AddHours(1);

        var latest = reports.LatestAsync(cancellationToken);
        var reads = catalog.Tasks.Select(async task => (task, rows: await usage.ReadRowsAsync(new UsageQuery { Task = task.Name, From = from, To = to }, cancellationToken)));
        var read = await Task.WhenAll(reads);
        var run = await latest;
        var tasks = read
            .Select(r => DashboardBuilder.Build(r.task, r.rows, firstDay, days, run?.Reports.FirstOrDefault(p => p.Task == r.task.Name)))
            .ToList();
        return new DashboardData(now, days, run, tasks);
    }
}
