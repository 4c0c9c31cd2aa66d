using Router.Core.Catalog;
using Router.Core.Distillation;

namespace Router.Core.Dashboard;

/// <summary>The dashboard's figures for every catalog task over the trailing window (today included, so far).</summary>
public sealed class DashboardService(TaskCatalog catalog, DashboardRollups rollups, DashboardBuilder builder, TimeProvider time)
{
    public async Task<DashboardData> GetAsync(int days, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var firstDay = today.AddDays(1 - days);
        var from = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour + 1), TimeSpan.Zero);
        var settings = new DistillationSettings { WindowDays = days };

        var reads = catalog.Tasks.Select(async task => (task, rows: await rollups.ReadAsync(task.Name, from, to, cancellationToken)));
        var tasks = new List<TaskDashboard>();
        foreach (var (task, rows) in await Task.WhenAll(reads))
        {
            tasks.Add(builder.Build(task, rows, firstDay, days, settings, now));
        }

        return new DashboardData(now, days, tasks);
    }
}
