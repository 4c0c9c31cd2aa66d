namespace Router.Core.Dashboard;

/// <summary>Everything the built-in dashboard page draws: per task, per day, from RouterRollups.</summary>
public sealed record DashboardData(DateTimeOffset GeneratedAt, int WindowDays, IReadOnlyList<TaskDashboard> Tasks);

/// <summary>One task's charts: daily series, route mix, fallbacks, latency and the distillation break-even.</summary>
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
    BreakEven? Distillation);

/// <summary>One UTC day of one task (all routes, models, clients and instances added up).</summary>
public sealed record DayFigures(DateOnly Day, long Calls, decimal CostUsd, long Fallbacks, long Errors, double? P50Ms, double? P95Ms);

/// <summary>Calls and cost per route and model over the window.</summary>
public sealed record RouteMix(string Route, string Model, long Calls, decimal CostUsd);

/// <summary>
/// The break-even chart of a task: cost/day on the large model is V x c_L; on the small model it is
/// V x c_S + H + F / R (hosting plus the (re)training spread over its useful life). The lines cross
/// at V* (break-even calls/day); V is today's volume.
/// </summary>
public sealed record BreakEven(
    string Verdict,
    IReadOnlyList<string> Reasons,
    decimal CallsPerDay,
    decimal? LargeCostPerCall,
    decimal? SmallCostPerCall,
    decimal HostingPerDay,
    decimal? FixedCostPerDay,
    decimal? BreakEvenCallsPerDay,
    decimal? DailySaving);
