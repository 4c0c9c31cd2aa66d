namespace Router.Core.Distillation;

/// <summary>
/// Every formula of distillation economics, and only those. The letters are the ones used in
/// docs/distillation.md, so a reader can check the code against the page line by line:
/// V calls/day, c_L large cost/call, c_S small cost/call, T training, U upkeep, F fixed,
/// H hosting/day, R useful life days, G daily saving, P payback days, V* break-even calls/day.
/// Money is decimal so hand-computed expectations match to the cent and nothing is ever Infinity;
/// "never" is null.
/// </summary>
public static class DistillationEconomics
{
    private const decimal TokensPerMillion = 1_000_000m;
    private const decimal HoursPerDay = 24m;

    /// <summary>V = calls in window / W (or / the span in days of a provisional window).</summary>
    public static decimal CallsPerDay(long calls, decimal windowDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(windowDays, 0m);
        return calls / windowDays;
    }

    /// <summary>
    /// Mean tokens per call on one route: prompt tax = (system + examples + context) / calls,
    /// caller input / calls, output / calls. Null when the route had no calls.
    /// </summary>
    public static TokensPerCall? MeanTokensPerCall(RouteUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.Calls == 0)
        {
            return null;
        }

        decimal calls = usage.Calls;
        var promptTax = (decimal)usage.SystemTokens + usage.ExampleTokens + usage.ContextTokens;
        return new TokensPerCall(promptTax / calls, usage.CallerInputTokens / calls, usage.OutputTokens / calls);
    }

    /// <summary>Measured cost per call = cost sum / calls (c_L on the large route). Null without calls.</summary>
    public static decimal? MeasuredCostPerCall(RouteUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return usage.Calls == 0 ? null : usage.CostUsd / usage.Calls;
    }

    /// <summary>
    /// Projected c_L = (prompt tax + caller input) x large input price + output x large output price, per 1M.
    /// Priced as uncached input: caching is not promised, so the baseline stays conservative.
    /// </summary>
    public static decimal ProjectedLargeCostPerCall(TokensPerCall tokens, DistillationModelPrices large)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(large);
        return ((tokens.PromptTax + tokens.CallerInput) * large.InputPerMillion
                + tokens.Output * large.OutputPerMillion) / TokensPerMillion;
    }

    /// <summary>
    /// c_S = (caller input + small system prompt) x small input price + output x small output price, per 1M.
    /// The prompt tax is gone: that is what training buys.
    /// </summary>
    public static decimal ProjectedSmallCostPerCall(TokensPerCall tokens, long smallSystemPromptTokens, DistillationModelPrices small)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(small);
        return ((tokens.CallerInput + smallSystemPromptTokens) * small.InputPerMillion
                + tokens.Output * small.OutputPerMillion) / TokensPerMillion;
    }

    /// <summary>
    /// T = training examples x tokens per example (caller input + small system + output) x epochs
    /// x training price per 1M. An example is the small model's prompt format plus the large output.
    /// </summary>
    public static decimal TrainingCost(int trainingExamples, TokensPerCall tokens, long smallSystemPromptTokens, int epochs, DistillationModelPrices small)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(small);
        var tokensPerExample = tokens.CallerInput + smallSystemPromptTokens + tokens.Output;
        return trainingExamples * tokensPerExample * epochs * small.TrainingPerMillion / TokensPerMillion;
    }

    /// <summary>F = T + U: what one (re)training costs before it saves anything.</summary>
    public static decimal FixedCost(decimal trainingCost, decimal upkeepPerRetrain) => trainingCost + upkeepPerRetrain;

    /// <summary>H = hourly hosting fee x 24; zero for per-token-only deployments.</summary>
    public static decimal HostingPerDay(DistillationModelPrices small)
    {
        ArgumentNullException.ThrowIfNull(small);
        return small.HostingPerHour * HoursPerDay;
    }

    /// <summary>
    /// R = the retrain interval, cut short by the small model's retirement (days from today to it).
    /// Zero or negative means the model is already retired.
    /// </summary>
    public static int UsefulLifeDays(int retrainIntervalDays, DateOnly? retiresOn, DateOnly today)
    {
        if (retiresOn is not { } retirement)
        {
            return retrainIntervalDays;
        }

        return Math.Min(retrainIntervalDays, retirement.DayNumber - today.DayNumber);
    }

    /// <summary>G = V x (c_L - c_S) - H: the daily saving before fixed costs.</summary>
    public static decimal DailySaving(decimal callsPerDay, decimal largeCostPerCall, decimal smallCostPerCall, decimal hostingPerDay) =>
        callsPerDay * (largeCostPerCall - smallCostPerCall) - hostingPerDay;

    /// <summary>P = F / G days; null ("never") when G &lt;= 0.</summary>
    public static decimal? PaybackDays(decimal fixedCost, decimal dailySaving) =>
        dailySaving <= 0 ? null : fixedCost / dailySaving;

    /// <summary>
    /// V* = (H + F / R) / (c_L - c_S) calls/day: the volume at which the saving covers hosting
    /// and pays back F within the useful life (equivalently P = R). Null when c_L &lt;= c_S
    /// (no volume helps) or R &lt;= 0 (no life to pay back in).
    /// </summary>
    public static decimal? BreakEvenCallsPerDay(decimal hostingPerDay, decimal fixedCost, int usefulLifeDays, decimal largeCostPerCall, decimal smallCostPerCall)
    {
        var marginPerCall = largeCostPerCall - smallCostPerCall;
        if (marginPerCall <= 0 || usefulLifeDays <= 0)
        {
            return null;
        }

        return (hostingPerDay + fixedCost / usefulLifeDays) / marginPerCall;
    }

    /// <summary>
    /// Measured savings/day of a distilled task = small calls/day x (c_L - measured small cost/call) - H,
    /// against the large baseline c_L. Fixed costs are already spent, so they are not subtracted.
    /// </summary>
    public static decimal MeasuredSavingsPerDay(decimal smallCallsPerDay, decimal largeCostPerCall, decimal measuredSmallCostPerCall, decimal hostingPerDay) =>
        smallCallsPerDay * (largeCostPerCall - measuredSmallCostPerCall) - hostingPerDay;

    /// <summary>Cascade rate = escalations / small calls; null without small calls.</summary>
    public static decimal? CascadeRate(RouteUsage small)
    {
        ArgumentNullException.ThrowIfNull(small);
        return small.Calls == 0 ? null : (decimal)small.Escalations / small.Calls;
    }

    /// <summary>Whole days the prompt version has been unchanged (floored; never negative).</summary>
    public static int PromptStableDays(DateTimeOffset since, DateTimeOffset now) =>
        Math.Max(0, (int)Math.Floor((now - since).TotalDays));
}
