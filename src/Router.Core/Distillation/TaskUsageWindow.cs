namespace Router.Core.Distillation;

/// <summary>
/// The measured figures of ONE task, per route, over the span the report rests on: the W complete
/// days before today once the task has that much history, otherwise (provisional) everything from
/// its first call up to now.
/// </summary>
public sealed record TaskUsageWindow
{
    /// <summary>Days the figures cover: W, or the (fractional) span of a provisional window; the divisor for every per-day figure.</summary>
    public required decimal Days { get; init; }

    /// <summary>True when the task has fewer than W complete days of history, so the figures are extrapolated from what there is.</summary>
    public bool Provisional { get; init; }

    /// <summary>Start of the span (the window's first day, or the first call of a provisional span); null when unknown.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the span (exclusive: the start of today, or now for a provisional span); null when unknown.</summary>
    public DateTimeOffset? To { get; init; }

    public RouteUsage Large { get; init; } = RouteUsage.None;

    public RouteUsage Small { get; init; } = RouteUsage.None;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Days <= 0)
        {
            errors.Add(FormattableString.Invariant($"Usage.{nameof(Days)} must be above 0 (was {Days})."));
        }

        errors.AddRange(Large.Validate($"Usage.{nameof(Large)}"));
        errors.AddRange(Small.Validate($"Usage.{nameof(Small)}"));
        return errors;
    }
}
