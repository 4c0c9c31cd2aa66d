namespace Router.Core.Distillation.Reporting;

/// <summary>
/// The run's headline, summed over its tasks: what they cost in the span (and per day), and the
/// total saving per day their next steps point to (only steps with a measured saving count).
/// </summary>
public sealed record RunTotals(decimal SpendUsd, decimal SpendPerDay, decimal SavingPerDay, bool Provisional)
{
    public static RunTotals Of(IReadOnlyList<DistillationReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return new RunTotals(
            reports.Sum(r => r.SpendUsd),
            reports.Sum(r => r.SpendPerDay),
            reports.Sum(r => r.NextStep?.SavingPerDay is { } s && s > 0 ? s : 0m),
            reports.Any(r => r.Provisional));
    }
}
