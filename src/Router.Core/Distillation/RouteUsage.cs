namespace Router.Core.Distillation;

/// <summary>
/// What one route of one task did over the window, summed from the hourly rollups.
/// Token sums are additive except <see cref="CachedInputTokens"/>, which is the cached part of
/// the input (system + examples + context + caller input) and so overlaps them.
/// </summary>
public sealed record RouteUsage
{
    /// <summary>No calls at all; the neutral element for windows without traffic on a route.</summary>
    public static RouteUsage None { get; } = new();

    public long Calls { get; init; }

    /// <summary>Sum of the ledger's per-call cost (tokens x the price of the model that served it).</summary>
    public decimal CostUsd { get; init; }

    public long SystemTokens { get; init; }

    public long ExampleTokens { get; init; }

    public long ContextTokens { get; init; }

    /// <summary>The caller's own input: the only input a tuned small model still needs.</summary>
    public long CallerInputTokens { get; init; }

    public long CachedInputTokens { get; init; }

    public long OutputTokens { get; init; }

    /// <summary>Calls whose output failed validation and cascaded (fell back) to the large model.</summary>
    public long Escalations { get; init; }

    /// <summary>Answers that broke the task's output rules (on the large route they are served anyway).</summary>
    public long RuleViolations { get; init; }

    /// <summary>Errors naming each impossible figure, prefixed with <paramref name="owner"/>.</summary>
    public IReadOnlyList<string> Validate(string owner)
    {
        var errors = new List<string>();
        AddIfNegative(errors, owner, nameof(Calls), Calls);
        AddIfNegative(errors, owner, nameof(CostUsd), CostUsd);
        AddIfNegative(errors, owner, nameof(SystemTokens), SystemTokens);
        AddIfNegative(errors, owner, nameof(ExampleTokens), ExampleTokens);
        AddIfNegative(errors, owner, nameof(ContextTokens), ContextTokens);
        AddIfNegative(errors, owner, nameof(CallerInputTokens), CallerInputTokens);
        AddIfNegative(errors, owner, nameof(CachedInputTokens), CachedInputTokens);
        AddIfNegative(errors, owner, nameof(OutputTokens), OutputTokens);
        AddIfNegative(errors, owner, nameof(Escalations), Escalations);
        AddIfNegative(errors, owner, nameof(RuleViolations), RuleViolations);
        if (Escalations > Calls)
        {
            errors.Add(FormattableString.Invariant($"{owner}.{nameof(Escalations)} ({Escalations}) must not exceed {owner}.{nameof(Calls)} ({Calls})."));
        }

        if (RuleViolations > Calls)
        {
            errors.Add(FormattableString.Invariant($"{owner}.{nameof(RuleViolations)} ({RuleViolations}) must not exceed {owner}.{nameof(Calls)} ({Calls})."));
        }

        return errors;
    }

    private static void AddIfNegative(List<string> errors, string owner, string name, decimal value)
    {
        if (value < 0)
        {
            errors.Add(FormattableString.Invariant($"{owner}.{name} must not be negative (was {value})."));
        }
    }
}
