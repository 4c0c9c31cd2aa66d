namespace Router.Core.Distillation;

/// <summary>
/// The first rung of the order of operations, measured on the large route: what the prompt costs
/// beyond the caller's own input (the prompt tax: system prompt, few-shot examples, retrieved
/// context), and how often the large model still breaks the task's output rules. Dollars per day
/// price the tokens at the large model's uncached input price at the report's volume V.
/// </summary>
public sealed record PromptFigures
{
    public required decimal InputTokensPerCall { get; init; }

    public required decimal SystemTokensPerCall { get; init; }

    public required decimal ExampleTokensPerCall { get; init; }

    public required decimal ContextTokensPerCall { get; init; }

    public required decimal CallerInputTokensPerCall { get; init; }

    /// <summary>(system + examples + context) / input tokens.</summary>
    public required decimal PromptTaxShare { get; init; }

    public required decimal SystemShare { get; init; }

    public required decimal ExampleShare { get; init; }

    public required decimal ContextShare { get; init; }

    /// <summary>Few-shot examples in the task's large prompt (catalog).</summary>
    public required int ExampleCount { get; init; }

    public required decimal PromptTaxUsdPerDay { get; init; }

    public required decimal SystemUsdPerDay { get; init; }

    public required decimal ExamplesUsdPerDay { get; init; }

    public required decimal ContextUsdPerDay { get; init; }

    /// <summary>Large-route answers in the span (the denominator of the rule-violation rate).</summary>
    public required long LargeAnswers { get; init; }

    /// <summary>Large answers that broke the output rules (served anyway).</summary>
    public required long LargeRuleViolations { get; init; }

    /// <summary>LargeRuleViolations / LargeAnswers.</summary>
    public required decimal LargeRuleViolationRate { get; init; }

    /// <summary>From the large route's usage; null when it has no calls.</summary>
    public static PromptFigures? Of(RouteUsage large, decimal callsPerDay, int exampleCount, DistillationModelPrices largePrices)
    {
        ArgumentNullException.ThrowIfNull(large);
        ArgumentNullException.ThrowIfNull(largePrices);
        if (large.Calls == 0)
        {
            return null;
        }

        decimal calls = large.Calls;
        var input = (decimal)large.SystemTokens + large.ExampleTokens + large.ContextTokens + large.CallerInputTokens;
        decimal Share(long tokens) => input == 0 ? 0 : tokens / input;
        decimal PerDay(long tokens) => tokens / calls * callsPerDay * largePrices.InputPerMillion / 1_000_000m;
        var tax = large.SystemTokens + large.ExampleTokens + large.ContextTokens;
        return new PromptFigures
        {
            InputTokensPerCall = input / calls,
            SystemTokensPerCall = large.SystemTokens / calls,
            ExampleTokensPerCall = large.ExampleTokens / calls,
            ContextTokensPerCall = large.ContextTokens / calls,
            CallerInputTokensPerCall = large.CallerInputTokens / calls,
            PromptTaxShare = Share(tax),
            SystemShare = Share(large.SystemTokens),
            ExampleShare = Share(large.ExampleTokens),
            ContextShare = Share(large.ContextTokens),
            ExampleCount = exampleCount,
            PromptTaxUsdPerDay = PerDay(tax),
            SystemUsdPerDay = PerDay(large.SystemTokens),
            ExamplesUsdPerDay = PerDay(large.ExampleTokens),
            ContextUsdPerDay = PerDay(large.ContextTokens),
            LargeAnswers = large.Calls,
            LargeRuleViolations = large.RuleViolations,
            LargeRuleViolationRate = large.RuleViolations / calls,
        };
    }
}
