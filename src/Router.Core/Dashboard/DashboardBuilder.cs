using Router.Core.Catalog;
using Router.Core.Distillation;
using Router.Core.Ledger;
using Router.Core.Routing;

namespace Router.Core.Dashboard;

/// <summary>Turns one task's rollups into the dashboard's figures; pure apart from the clock the analyzer reads.</summary>
public sealed class DashboardBuilder(DistillationAnalyzer analyzer)
{
    public TaskDashboard Build(CatalogTask task, IReadOnlyList<RollupRecord> rollups, DateOnly firstDay, int days, DistillationSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(rollups);
        ArgumentNullException.ThrowIfNull(settings);

        var perDay = new List<DayFigures>(days);
        for (var i = 0; i < days; i++)
        {
            var day = firstDay.AddDays(i);
            var rows = rollups.Where(r => DateOnly.FromDateTime(r.Hour.UtcDateTime) == day).ToList();
            var histogram = Histogram(rows);
            perDay.Add(new DayFigures(
                day,
                rows.Sum(r => r.Calls),
                rows.Sum(r => r.CostUsd),
                rows.Sum(r => r.Fallbacks),
                rows.Sum(r => r.Errors),
                LatencyHistogram.Percentile(histogram, 0.50),
                LatencyHistogram.Percentile(histogram, 0.95)));
        }

        var routes = rollups
            .GroupBy(r => (r.Route, r.Model))
            .Select(g => new RouteMix(g.Key.Route, g.Key.Model, g.Sum(r => r.Calls), g.Sum(r => r.CostUsd)))
            .OrderBy(m => m.Route, StringComparer.Ordinal).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
        var all = Histogram(rollups);
        return new TaskDashboard(
            task.Name,
            task.Kind.ToString().ToLowerInvariant(),
            task.Route.ToWire(),
            perDay,
            routes,
            rollups.Sum(r => r.Calls),
            rollups.Sum(r => r.Fallbacks),
            rollups.Sum(r => r.Errors),
            rollups.Sum(r => r.CostUsd),
            LatencyHistogram.Percentile(all, 0.50),
            LatencyHistogram.Percentile(all, 0.95),
            Distillation(task, rollups, days, settings, now));
    }

    /// <summary>The analyzer's economics for a task with a small model configured; null when there is none to compare.</summary>
    private BreakEven? Distillation(CatalogTask task, IReadOnlyList<RollupRecord> rollups, int days, DistillationSettings settings, DateTimeOffset now)
    {
        if (task.SmallModel is not { } small)
        {
            return null;
        }

        var current = rollups.Where(r => r.PromptVersion == task.PromptVersion).Select(r => r.Hour).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var input = new DistillationInput
        {
            TaskName = task.Name,
            Kind = task.Kind,
            Route = task.Route,
            PromptVersion = task.PromptVersion,
            // The dashboard sees only the window: a prompt older than it counts from the window's start.
            PromptVersionSince = current == DateTimeOffset.MaxValue ? now : current,
            // Captured examples live in RouterSamples, which the dashboard does not count; readiness comes from the report.
            CapturedExamples = 0,
            SmallSystemPromptTokens = task.SmallSystemTokens,
            LargePromptTaxTokens = task.LargeSystemTokens + task.ExamplesTokens,
            LargePrices = Prices(task.LargeModel.Prices),
            SmallPrices = Prices(small.Prices),
            Usage = new TaskUsageWindow { Days = Math.Max(1, days), Large = Usage(rollups, RouteTarget.Large), Small = Usage(rollups, RouteTarget.Small) },
            Settings = settings,
        };
        var report = analyzer.Analyze(input);
        return new BreakEven(
            report.Verdict.ToWireName(),
            report.Reasons,
            report.CallsPerDay,
            report.LargeCostPerCall,
            report.SmallCostPerCall,
            report.HostingPerDay,
            report.FixedCost is { } f && report.UsefulLifeDays > 0 ? f / report.UsefulLifeDays : null,
            report.BreakEvenCallsPerDay,
            report.MeasuredSavingsPerDay ?? report.DailySaving);
    }

    private static RouteUsage Usage(IReadOnlyList<RollupRecord> rollups, RouteTarget route)
    {
        var rows = rollups.Where(r => r.Route == route.ToWire()).ToList();
        if (rows.Count == 0)
        {
            return RouteUsage.None;
        }

        var totals = RollupTotals.Of(rows);
        return new RouteUsage
        {
            Calls = totals.Calls,
            CostUsd = totals.CostNanoUsd / CallRecordEntity.NanoPerUsd,
            SystemTokens = totals.SystemTokens,
            ExampleTokens = totals.ExamplesTokens,
            ContextTokens = totals.ContextTokens,
            CallerInputTokens = totals.CallerTokens,
            CachedInputTokens = totals.CachedInputTokens,
            OutputTokens = totals.OutputTokens,
            Escalations = totals.Escalations,
        };
    }

    private static DistillationModelPrices Prices(ModelPrices prices) => new()
    {
        InputPerMillion = prices.InputPerMillion,
        CachedInputPerMillion = prices.CachedInputPerMillion,
        OutputPerMillion = prices.OutputPerMillion,
        HostingPerHour = prices.HostingPerHour,
        TrainingPerMillion = prices.TrainingPerMillion,
        RetiresOn = prices.RetiresOn,
    };

    private static IReadOnlyList<long> Histogram(IEnumerable<RollupRecord> rows) => RollupTotals.Of(rows).LatencyBuckets;
}
