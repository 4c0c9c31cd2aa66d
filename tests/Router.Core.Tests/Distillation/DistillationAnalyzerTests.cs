using Router.Core.Catalog;
using Router.Core.Distillation;
using Router.Core.Routing;
using static Router.Core.Tests.Distillation.DistillationScenario;

namespace Router.Core.Tests.Distillation;

public sealed class DistillationAnalyzerTests
{
    // Shared by most scenarios (default settings: 1,000 examples x 3 epochs, U = $500, R = 90 days):
    // c_S = (300 caller + 50 small system) x 0.30 / 1M + 20 x 1.20 / 1M = 0.000105 + 0.000024
    private const decimal ExpectedSmallCostPerCall = 0.000129m;

    // T = 1_000 examples x (300 + 50 + 20) tokens x 3 epochs x 3.00 / 1M
    private const decimal ExpectedTrainingCost = 1_000m * 370m * 3m * 3.00m / 1_000_000m; // 3.33

    // F = T + U
    private const decimal ExpectedFixedCost = ExpectedTrainingCost + 500m; // 503.33

    // H = 1.70 USD/hour x 24
    private const decimal ExpectedHostingPerDay = 1.70m * 24m; // 40.80

    // c_L - c_S = 0.00595 - 0.000129
    private const decimal ExpectedMarginPerCall = Gpt4oCostPerCall - ExpectedSmallCostPerCall; // 0.005821

    // V* = (H + F / R) / (c_L - c_S) = (40.80 + 503.33 / 90) / 0.005821 ≈ 7,969.86 calls/day
    private static readonly decimal ExpectedBreakEven = (ExpectedHostingPerDay + ExpectedFixedCost / 90m) / ExpectedMarginPerCall;

    [Fact]
    public void Analyze_HighVolumeStableTask_DistillNowWithHandComputedNumbers()
    {
        // 280,000 calls over 14 days -> V = 20,000/day; cost $1,666.00 -> c_L = 1,666 / 280,000 = 0.00595
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 280_000));

        Assert.Equal(DistillationVerdict.DistillNow, report.Verdict);
        Assert.Equal(20_000m, report.CallsPerDay);
        Assert.Equal(0.00595m, report.LargeCostPerCall);
        Assert.Equal(CostBasis.Measured, report.LargeCostBasis);
        Assert.Equal(2_000m, report.PromptTaxTokensPerCall);
        Assert.Equal(300m, report.CallerInputTokensPerCall);
        Assert.Equal(20m, report.OutputTokensPerCall);
        Assert.Equal(ExpectedSmallCostPerCall, report.SmallCostPerCall);
        Assert.Equal(3.33m, report.TrainingCost);
        Assert.Equal(500m, report.UpkeepCost);
        Assert.Equal(503.33m, report.FixedCost);
        Assert.Equal(40.80m, report.HostingPerDay);
        Assert.Equal(90, report.UsefulLifeDays);

        // G = 20,000 x 0.005821 - 40.80 = 116.42 - 40.80
        Assert.Equal(75.62m, report.DailySaving);

        // P = F / G = 503.33 / 75.62 ≈ 6.656 days <= R = 90
        Assert.Equal(503.33m / 75.62m, report.PaybackDays!.Value, 10);
        Assert.Equal(ExpectedBreakEven, report.BreakEvenCallsPerDay!.Value, 10);
        Assert.True(report.Readiness.IsReady);
        Assert.Equal(30, report.PromptStableDays);
        Assert.Equal(Now, report.GeneratedAt);
        Assert.StartsWith("pays back in 6.7 days (useful life 90 days) at 20,000 calls/day; break-even 7,970 calls/day", report.Reasons[0]);
        Assert.Equal("saves $75.62/day after hosting, before the $503.33 per (re)training", report.Reasons[1]);
    }

    [Fact]
    public void Analyze_VolumeBelowBreakEven_NotYetNeedsCeilOfMissingCallsPerDay()
    {
        // 28,000 calls over 14 days -> V = 2,000/day, same tokens and prices, so V* ≈ 7,969.86.
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 28_000));

        Assert.Equal(DistillationVerdict.NotYet, report.Verdict);
        Assert.Equal(2_000m, report.CallsPerDay);
        Assert.Equal(ExpectedBreakEven, report.BreakEvenCallsPerDay!.Value, 10);

        // G = 2,000 x 0.005821 - 40.80 = 11.642 - 40.80 < 0: hosting eats the saving, never pays back.
        Assert.Equal(-29.158m, report.DailySaving);
        Assert.Null(report.PaybackDays);

        // needs ceil(V* - V) = ceil(7,969.86 - 2,000) = 5,970
        var needed = Math.Ceiling(ExpectedBreakEven - 2_000m);
        Assert.Equal(5_970m, needed);
        var reason = Assert.Single(report.Reasons);
        Assert.StartsWith("needs 5,970 more calls/day", reason);
        Assert.False(report.Readiness.PaysBackWithinUsefulLife);
    }

    [Fact]
    public void Analyze_PaysBackButFewExamples_NotYetNeedsMissingExamples()
    {
        var input = Input(largeCallsInWindow: 280_000) with { CapturedExamples = 180 };

        var report = Analyzer().Analyze(input);

        // 500 minimum - 180 captured = 320
        Assert.Equal(DistillationVerdict.NotYet, report.Verdict);
        var reason = Assert.Single(report.Reasons);
        Assert.StartsWith("needs 320 more examples", reason);
        Assert.False(report.Readiness.HasEnoughExamples);
    }

    [Fact]
    public void Analyze_PromptChangedThreeDaysAgo_NotYetNeedsStableDays()
    {
        // 3 days and 5 hours ago floors to 3 whole days.
        var input = Input(largeCallsInWindow: 280_000) with { PromptVersionSince = Now.AddDays(-3).AddHours(-5) };

        var report = Analyzer().Analyze(input);

        Assert.Equal(DistillationVerdict.NotYet, report.Verdict);
        Assert.Equal(3, report.PromptStableDays);
        Assert.Equal(["prompt changed 3 days ago; needs 7 days stable"], report.Reasons);
    }

    [Fact]
    public void Analyze_SeveralGaps_ListsEveryReason()
    {
        var input = Input(largeCallsInWindow: 28_000) with
        {
            CapturedExamples = 180,
            PromptVersionSince = Now.AddDays(-3),
        };

        var report = Analyzer().Analyze(input);

        Assert.Equal(DistillationVerdict.NotYet, report.Verdict);
        Assert.Equal(3, report.Reasons.Count);
        Assert.StartsWith("needs 5,970 more calls/day", report.Reasons[0]);
        Assert.StartsWith("needs 320 more examples", report.Reasons[1]);
        Assert.Equal("prompt changed 3 days ago; needs 7 days stable", report.Reasons[2]);
    }

    [Fact]
    public void Analyze_KnowledgeTaskHugelyProfitable_NotEligible()
    {
        // 2,800,000 calls / 14 = 200,000/day; G = 200,000 x 0.005821 - 40.80 = 1,164.20 - 40.80
        var input = Input(largeCallsInWindow: 2_800_000) with { Kind = TaskKind.Knowledge };

        var report = Analyzer().Analyze(input);

        Assert.Equal(DistillationVerdict.NotEligible, report.Verdict);
        Assert.Equal(["knowledge task: keep facts in retrieval"], report.Reasons);
        Assert.Equal(1_123.40m, report.DailySaving);
        Assert.False(report.Readiness.KindAllowsDistillation);
        Assert.True(report.Readiness.PaysBackWithinUsefulLife);
    }

    [Fact]
    public void Analyze_SmallModelNotCheaper_NotEligible()
    {
        // Large is a prompted gpt-4o-mini base (0.15 / 0.60) with only a 100-token system prompt:
        // c_L = (100 + 300) x 0.15 / 1M + 20 x 0.60 / 1M = 0.00006 + 0.000012 = 0.000072
        // c_S = 0.000129 (tuned models cost twice the base per token) -> not cheaper.
        var miniBase = new DistillationModelPrices { InputPerMillion = 0.15m, CachedInputPerMillion = 0.075m, OutputPerMillion = 0.60m };
        const long calls = 280_000;
        var input = Input(largeCallsInWindow: 0) with
        {
            LargePrices = miniBase,
            Usage = new TaskUsageWindow
            {
                Days = WindowDays,
                Large = new RouteUsage
                {
                    Calls = calls,
                    CostUsd = calls * 0.000072m,
                    SystemTokens = calls * 100,
                    CallerInputTokens = calls * 300,
                    OutputTokens = calls * 20,
                },
            },
        };

        var report = Analyzer().Analyze(input);

        Assert.Equal(DistillationVerdict.NotEligible, report.Verdict);
        Assert.Equal(0.000072m, report.LargeCostPerCall);
        Assert.Equal(ExpectedSmallCostPerCall, report.SmallCostPerCall);
        Assert.Null(report.BreakEvenCallsPerDay);
        Assert.Null(report.PaybackDays);
        Assert.Equal(["small model is not cheaper: $0.000129/call projected vs $0.000072/call on large"], report.Reasons);
    }

    [Fact]
    public void Analyze_SmallModelRetiresBeforePayback_NotEligible()
    {
        // Retires 2026-03-06, five days after today: R = min(90, 5) = 5 < P = 503.33 / 75.62 ≈ 6.66.
        var input = Input(largeCallsInWindow: 280_000) with
        {
            SmallPrices = Gpt4oMiniTuned with { RetiresOn = new DateOnly(2026, 3, 6) },
        };

        var report = Analyzer().Analyze(input);

        Assert.Equal(DistillationVerdict.NotEligible, report.Verdict);
        Assert.Equal(5, report.UsefulLifeDays);

        // V* = (40.80 + 503.33 / 5) / 0.005821 = 141.466 / 0.005821 ≈ 24,302.7 -> "24,303"
        var expectedBreakEven = (ExpectedHostingPerDay + ExpectedFixedCost / 5m) / ExpectedMarginPerCall;
        Assert.Equal(expectedBreakEven, report.BreakEvenCallsPerDay!.Value, 10);
        var reason = Assert.Single(report.Reasons);
        Assert.Equal(
            "small model retires before payback: retires on 2026-03-06 (in 5 days) and payback takes 6.7 days at 20,000 calls/day; would need 24,303 calls/day",
            reason);
    }

    [Fact]
    public void Analyze_SmallModelAlreadyRetired_NotEligible()
    {
        var input = Input(largeCallsInWindow: 280_000) with
        {
            SmallPrices = Gpt4oMiniTuned with { RetiresOn = new DateOnly(2026, 2, 1) },
        };

        var report = Analyzer().Analyze(input);

        Assert.Equal(DistillationVerdict.NotEligible, report.Verdict);
        Assert.Equal(-28, report.UsefulLifeDays);
        Assert.Null(report.BreakEvenCallsPerDay);
        Assert.Equal(["small model retired on 2026-02-01"], report.Reasons);
    }

    [Fact]
    public void Analyze_TaskOnSmallWithoutLargeCalls_DistilledAgainstProjectedBaseline()
    {
        // 280,000 small calls cost $42.00 -> measured c_S = 0.00015; 5,600 escalated -> 2 %.
        var input = Input(largeCallsInWindow: 0) with
        {
            Route = RouteTarget.Small,
            Usage = new TaskUsageWindow { Days = WindowDays, Small = SmallCalls(280_000, 42.00m, escalations: 5_600) },
        };

        var report = Analyzer().Analyze(input);

        Assert.Equal(DistillationVerdict.Distilled, report.Verdict);

        // No large calls: c_L projected = (2,000 configured prompt tax + 300) x 2.50 / 1M + 20 x 10.00 / 1M
        Assert.Equal(CostBasis.Projected, report.LargeCostBasis);
        Assert.Equal(0.00595m, report.LargeCostPerCall);
        Assert.Equal(0.00015m, report.MeasuredSmallCostPerCall);

        // savings = 20,000/day x (0.00595 - 0.00015) - 40.80 = 116.00 - 40.80
        Assert.Equal(75.20m, report.MeasuredSavingsPerDay);
        Assert.Equal(0.02m, report.CascadeRate);
        Assert.StartsWith("saves $75.20/day against the large baseline: $0.00015/call measured on small vs $0.00595/call projected on large", report.Reasons[0]);
        Assert.Equal("cascade rate 2% (5,600 of 280,000 calls escalated to large)", report.Reasons[1]);
    }

    [Fact]
    public void Analyze_TaskOnSmallWithLargeCalls_DistilledAgainstMeasuredBaseline()
    {
        // 14,000 large calls cost $84.00 -> c_L = 0.006 (measured);
        // 266,000 small calls cost $39.90 -> 0.00015; 2,660 escalated -> 1 %.
        var input = Input(largeCallsInWindow: 0) with
        {
            Route = RouteTarget.Small,
            Usage = new TaskUsageWindow
            {
                Days = WindowDays,
                Large = LargeCalls(14_000, costPerCall: 0.006m),
                Small = SmallCalls(266_000, 39.90m, escalations: 2_660),
            },
        };

        var report = Analyzer().Analyze(input);

        Assert.Equal(DistillationVerdict.Distilled, report.Verdict);
        Assert.Equal(CostBasis.Measured, report.LargeCostBasis);
        Assert.Equal(0.006m, report.LargeCostPerCall);

        // small calls/day = 266,000 / 14 = 19,000; savings = 19,000 x (0.006 - 0.00015) - 40.80 = 111.15 - 40.80
        Assert.Equal(70.35m, report.MeasuredSavingsPerDay);
        Assert.Equal(0.01m, report.CascadeRate);
        Assert.Equal("cascade rate 1% (2,660 of 266,000 calls escalated to large)", report.Reasons[1]);
    }

    [Fact]
    public void Analyze_ZeroVolumeWindow_NotYetWithoutDividingByZero()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 0));

        Assert.Equal(DistillationVerdict.NotYet, report.Verdict);
        Assert.Equal(0m, report.CallsPerDay);
        Assert.Null(report.LargeCostPerCall);
        Assert.Null(report.SmallCostPerCall);
        Assert.Null(report.TrainingCost);
        Assert.Null(report.DailySaving);
        Assert.Null(report.PaybackDays);
        Assert.Null(report.BreakEvenCallsPerDay);
        Assert.Equal(["no calls in the last 14 days; nothing to measure"], report.Reasons);
    }

    [Fact]
    public void Analyze_ZeroVolumeDistilledTask_DistilledWithNothingMeasured()
    {
        var input = Input(largeCallsInWindow: 0) with { Route = RouteTarget.Small };

        var report = Analyzer().Analyze(input);

        Assert.Equal(DistillationVerdict.Distilled, report.Verdict);
        Assert.Null(report.MeasuredSavingsPerDay);
        Assert.Null(report.CascadeRate);
        Assert.Equal(["no small-model calls in the last 14 days; nothing to measure"], report.Reasons);
    }

    [Fact]
    public void Analyze_InvalidSettings_ThrowsNamingTheSetting()
    {
        var input = Input(largeCallsInWindow: 280_000) with { Settings = new DistillationSettings { Epochs = 0 } };

        var error = Assert.Throws<ArgumentException>(() => Analyzer().Analyze(input));

        Assert.Contains("Epochs must be at least 1 (was 0).", error.Message, StringComparison.Ordinal);
    }
}
