using Microsoft.Extensions.Time.Testing;
using Router.Core.Catalog;
using Router.Core.Distillation;
using Router.Core.Routing;

namespace Router.Core.Tests.Distillation;

/// <summary>
/// Realistic defaults the tests vary one at a time:
/// gpt-4o prompted (2.50 / 1.25 / 10.00 USD per 1M input / cached / output) versus
/// fine-tuned gpt-4o-mini (0.30 / 0.15 / 1.20, training 3.00 per 1M, standard hosting 1.70 USD/hour).
/// A large call carries 800 system + 1,200 example tokens (prompt tax 2,000), 300 caller tokens, 20 output.
/// </summary>
internal static class DistillationScenario
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = new(2026, 3, 1);

    public const int WindowDays = 14;
    public const long SystemTokensPerCall = 800;
    public const long ExampleTokensPerCall = 1_200;
    public const long CallerInputTokensPerCall = 300;
    public const long OutputTokensPerCall = 20;
    public const long SmallSystemPromptTokens = 50;

    // (800 + 1_200 + 300) x 2.50 / 1M + 20 x 10.00 / 1M = 0.00575 + 0.0002
    public const decimal Gpt4oCostPerCall = 0.00595m;

    public static DistillationModelPrices Gpt4o { get; } = new()
    {
        InputPerMillion = 2.50m,
        CachedInputPerMillion = 1.25m,
        OutputPerMillion = 10.00m,
    };

    public static DistillationModelPrices Gpt4oMiniTuned { get; } = new()
    {
        InputPerMillion = 0.30m,
        CachedInputPerMillion = 0.15m,
        OutputPerMillion = 1.20m,
        TrainingPerMillion = 3.00m,
        HostingPerHour = 1.70m,
    };

    public static FakeTimeProvider Clock() => new(Now);

    public static DistillationAnalyzer Analyzer() => new(Clock());

    /// <summary>Large-route sums for <paramref name="calls"/> calls with the default token split.</summary>
    public static RouteUsage LargeCalls(long calls, decimal costPerCall = Gpt4oCostPerCall) => new()
    {
        Calls = calls,
        CostUsd = calls * costPerCall,
        SystemTokens = calls * SystemTokensPerCall,
        ExampleTokens = calls * ExampleTokensPerCall,
        CallerInputTokens = calls * CallerInputTokensPerCall,
        OutputTokens = calls * OutputTokensPerCall,
    };

    /// <summary>Small-route sums: only the short system prompt, the caller's input and the output.</summary>
    public static RouteUsage SmallCalls(long calls, decimal costUsd, long escalations) => new()
    {
        Calls = calls,
        CostUsd = costUsd,
        SystemTokens = calls * SmallSystemPromptTokens,
        CallerInputTokens = calls * CallerInputTokensPerCall,
        OutputTokens = calls * OutputTokensPerCall,
        Escalations = escalations,
    };

    /// <summary>A classification task on large, 2,000 captured examples, prompt unchanged for 30 days.</summary>
    public static DistillationInput Input(long largeCallsInWindow) => new()
    {
        TaskName = "ticket-triage",
        Kind = TaskKind.Classification,
        Route = RouteTarget.Large,
        PromptVersion = "p-3f9a",
        PromptVersionSince = Now.AddDays(-30),
        CapturedExamples = 2_000,
        SmallSystemPromptTokens = SmallSystemPromptTokens,
        LargePromptTaxTokens = SystemTokensPerCall + ExampleTokensPerCall,
        LargePrices = Gpt4o,
        SmallPrices = Gpt4oMiniTuned,
        Usage = new TaskUsageWindow { Days = WindowDays, Large = LargeCalls(largeCallsInWindow) },
        Settings = new DistillationSettings(),
    };
}
