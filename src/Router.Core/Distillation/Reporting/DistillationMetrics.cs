using System.Diagnostics.Metrics;

namespace Router.Core.Distillation.Reporting;

/// <summary>
/// The last report per task as observable gauges on the "Router" meter, so a dashboard or alert reads
/// the verdict without calling the API: savings/day (projected G, or measured for a distilled task),
/// break-even volume, and the verdict (1 on the series tagged with the current verdict).
/// </summary>
public static class DistillationMetrics
{
    private static IReadOnlyList<DistillationReport> _latest = [];

    public static readonly ObservableGauge<double> SavingsPerDay = RouterTelemetry.Meter.CreateObservableGauge(
        "router.distillation.savings_per_day",
        () => Observe(r => r.MeasuredSavingsPerDay ?? r.DailySaving),
        "USD/d",
        "Savings per day of distilling the task (measured once distilled), from the last distillation report.");

    public static readonly ObservableGauge<double> BreakEvenCallsPerDay = RouterTelemetry.Meter.CreateObservableGauge(
        "router.distillation.break_even_calls_per_day",
        () => Observe(r => r.BreakEvenCallsPerDay),
        "{call}/d",
        "Calls per day at which distilling the task pays back within the small model's useful life.");

    public static readonly ObservableGauge<int> Verdict = RouterTelemetry.Meter.CreateObservableGauge(
        "router.distillation.verdict",
        () => Volatile.Read(ref _latest).Select(r => new Measurement<int>(1, new KeyValuePair<string, object?>("router.task", r.Task), new KeyValuePair<string, object?>("router.distillation.verdict", r.Verdict.ToWireName()))),
        "{verdict}",
        "1 for the task's current distillation verdict (tag router.distillation.verdict).");

    /// <summary>Called once per run with every task's report.</summary>
    public static void Record(IReadOnlyList<DistillationReport> reports) => Volatile.Write(ref _latest, reports);

    private static IEnumerable<Measurement<double>> Observe(Func<DistillationReport, decimal?> value) =>
        Volatile.Read(ref _latest)
            .Where(r => value(r) is not null)
            .Select(r => new Measurement<double>((double)value(r)!.Value, new KeyValuePair<string, object?>("router.task", r.Task)));
}
