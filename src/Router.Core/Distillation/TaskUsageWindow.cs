namespace Router.Core.Distillation;

/// <summary>The measured figures of ONE task over a trailing window of complete days, per route.</summary>
public sealed record TaskUsageWindow
{
    /// <summary>W: complete days covered; the divisor for every per-day figure.</summary>
    public required int Days { get; init; }

    public RouteUsage Large { get; init; } = RouteUsage.None;

    public RouteUsage Small { get; init; } = RouteUsage.None;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Days < 1)
        {
            errors.Add(FormattableString.Invariant($"Usage.{nameof(Days)} must be at least 1 (was {Days})."));
        }

        errors.AddRange(Large.Validate($"Usage.{nameof(Large)}"));
        errors.AddRange(Small.Validate($"Usage.{nameof(Small)}"));
        return errors;
    }
}
