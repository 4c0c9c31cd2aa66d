using Router.Core.Catalog;
using Router.Core.Distillation;
using Router.Core.Ledger;
using Router.Core.Routing;

namespace Router.Core.Dashboard;

/// <summary>Turns one task's rollup rows into the dashboard's daily series, and attaches the task's stored report. Pure.</summary>
public static class DashboardBuilder
{
    public static TaskDashboard Build(CatalogTask task, IReadOnlyList<RollupRecord> rollups, DateOnly firstDay, int days, DistillationReport? report)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(rollups);

        var perDay = new List<DayFigures>(days);
        for (var i = 0; i < days; i++)
        {
            var day = firstDay.AddDays(i);
            var totals = RollupTotals.Of(rollups.Where(r => DateOnly.FromDateTime(r.Hour.UtcDateTime) == day));
            perDay.Add(new DayFigures(day, totals.Calls, totals.CostNanoUsd / CallRecordEntity.NanoPerUsd, totals.Fallbacks, totals.Errors, totals.Percentile(0.50), totals.Percentile(0.95)));
        }

        var routes = rollups
            .GroupBy(r => (r.Route, r.Model))
            .Select(g => new RouteMix(g.Key.Route, g.Key.Model, g.Sum(r => r.Calls), g.Sum(r => r.CostUsd)))
            .OrderBy(m => m.Route, StringComparer.Ordinal).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
        var all = RollupTotals.Of(rollups);
        return new TaskDashboard(
            task.Name,
            task.Kind.ToString().ToLowerInvariant(),
            task.Route.ToWire(),
            perDay,
            routes,
            all.Calls,
            all.Fallbacks,
            all.Errors,
            all.CostNanoUsd / CallRecordEntity.NanoPerUsd,
            all.Percentile(0.50),
            all.Percentile(0.95),
            report);
    }
}
