namespace Router.Core.Distillation.Reporting;

/// <summary>One run of the report: every task's verdict, computed at the same instant over the same window.</summary>
public sealed record DistillationRun
{
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>First day of the window (UTC, inclusive).</summary>
    public required DateOnly WindowStart { get; init; }

    /// <summary>Day after the window's last day (UTC, exclusive): the run's "today".</summary>
    public required DateOnly WindowEnd { get; init; }

    public required int WindowDays { get; init; }

    public required IReadOnlyList<DistillationReport> Reports { get; init; }

    /// <summary>Spend and saving summed over the tasks (computed from <see cref="Reports"/>, so it cannot disagree with them).</summary>
    public RunTotals Totals => RunTotals.Of(Reports);
}
