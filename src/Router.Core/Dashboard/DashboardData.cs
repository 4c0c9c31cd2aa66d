using Router.Core.Distillation;
using Router.Core.Distillation.Reporting;

namespace Router.Core.Dashboard;

/// <summary>
/// Everything the built-in dashboard page draws. The verdicts, next steps and every economic figure
/// come from the stored distillation report (<see cref="Report"/>, the same object GET /api/distillation
/// answers), so the page cannot disagree with it; the daily series come from RouterRollups through the
/// usage API's reader. <see cref="Report"/> is null until the first report has run.
/// </summary>
public sealed record DashboardData(DateTimeOffset GeneratedAt, int WindowDays, DistillationRun? Report, IReadOnlyList<TaskDashboard> Tasks);

/// <summary>One task's charts: daily series, route mix, fallbacks and latency (rollups), and its report (stored).</summary>
public sealed record TaskDashboard(
    string Task,
    string Kind,
    string Route,
    IReadOnlyList<DayFigures> Days,
    IReadOnlyList<RouteMix> Routes,
    long Calls,
    long Fallbacks,
    long Errors,
    decimal CostUsd,
    double? P50Ms,
    double? P95Ms,
    DistillationReport? Report);

/// <summary>One UTC day of one task (all routes, models, clients and instances added up).</summary>
public sealed record DayFigures(DateOnly Day, long Calls, decimal CostUsd, long Fallbacks, long Errors, double? P50Ms, double? P95Ms);

/// <summary>Calls and cost per route and model over the window.</summary>
public sealed record RouteMix(string Route, string Model, long Calls, decimal CostUsd);
