using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Router.Core.Telemetry;

/// <summary>
/// The latest distillation figures per task, held for the observable gauges
/// router.distillation.savings_per_day and router.distillation.break_even_calls_per_day.
/// The report writer calls <see cref="Update"/> after each report; the gauges read whatever is newest.
/// </summary>
public static class DistillationGauges
{
    private static readonly ConcurrentDictionary<string, (double SavingsPerDay, double? BreakEvenCallsPerDay)> Latest = new(StringComparer.Ordinal);

    /// <summary>Records the newest report values of one task (savings/day in USD; break-even in calls/day, null when no volume pays).</summary>
    public static void Update(string task, decimal savingsPerDay, decimal? breakEvenCallsPerDay)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        Latest[task] = ((double)savingsPerDay, breakEvenCallsPerDay is { } b ? (double)b : null);
    }

    /// <summary>Forgets every task (a test's reset, or a catalog that dropped tasks).</summary>
    public static void Clear() => Latest.Clear();

    internal static IEnumerable<Measurement<double>> SavingsPerDay() =>
        Latest.Select(p => new Measurement<double>(p.Value.SavingsPerDay, new KeyValuePair<string, object?>(GenAiAttributes.Task, p.Key)));

    internal static IEnumerable<Measurement<double>> BreakEvenCallsPerDay() =>
        Latest.Where(p => p.Value.BreakEvenCallsPerDay is not null)
            .Select(p => new Measurement<double>(p.Value.BreakEvenCallsPerDay!.Value, new KeyValuePair<string, object?>(GenAiAttributes.Task, p.Key)));
}
