using System.Text.Json;
using Router.Core.Catalog;
using Router.Core.Distillation;
using Router.Core.Distillation.Reporting;
using Router.Core.Routing;
using static Router.Core.Tests.Distillation.DistillationScenario;

namespace Router.Core.Tests.Distillation;

/// <summary>Each null reason for a case built for it, and no null figure without a reason in any of them.</summary>
public sealed class NullReasonsTests
{
    [Fact]
    public void Analyze_NoCalls_FiguresAreNoData()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 0));

        Assert.Equal(NullReason.NoData, report.NullReasons["largeCostPerCall"]);
        Assert.Equal(NullReason.NoData, report.NullReasons["smallCostPerCall"]);
        Assert.Equal(NullReason.NoData, report.NullReasons["paybackDays"]);
        Assert.Equal(NullReason.NoData, report.NullReasons["breakEvenCallsPerDay"]);
        Assert.Equal(NullReason.NoData, report.NullReasons["prompt"]);
        AssertNoBareNulls(report);
    }

    [Fact]
    public void Analyze_SmallModelNotCheaper_PaybackAndBreakEvenAreNotCheaper()
    {
        // The small model priced above large: c_S > c_L.
        var input = Input(largeCallsInWindow: 280_000) with { SmallPrices = Gpt4oMiniTuned with { InputPerMillion = 30m, OutputPerMillion = 100m } };

        var report = Analyzer().Analyze(input);

        Assert.True(report.SmallCostPerCall > report.LargeCostPerCall);
        Assert.Equal(NullReason.NotCheaper, report.NullReasons["paybackDays"]);
        Assert.Equal(NullReason.NotCheaper, report.NullReasons["breakEvenCallsPerDay"]);
        AssertNoBareNulls(report);
    }

    [Fact]
    public void Analyze_VolumeBelowBreakEven_PaybackLosesAtThisVolumeAndBreakEvenSaysWhenItWouldPay()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 28_000));

        Assert.Null(report.PaybackDays);
        Assert.Equal(NullReason.LosesAtThisVolume, report.NullReasons["paybackDays"]);
        Assert.NotNull(report.BreakEvenCallsPerDay);
        Assert.False(report.NullReasons.ContainsKey("breakEvenCallsPerDay"));
        AssertNoBareNulls(report);
    }

    [Fact]
    public void Analyze_SmallModelRetired_BreakEvenRetiresFirst()
    {
        var input = Input(largeCallsInWindow: 280_000) with { SmallPrices = Gpt4oMiniTuned with { RetiresOn = Today.AddDays(-28) } };

        var report = Analyzer().Analyze(input);

        Assert.Equal(NullReason.RetiresFirst, report.NullReasons["breakEvenCallsPerDay"]);
        AssertNoBareNulls(report);
    }

    [Fact]
    public void For_KnowledgeTaskWithoutSmallModel_SmallSideIsKnowledgeTask()
    {
        var analyzed = Analyzer().Analyze(Input(largeCallsInWindow: 28_000) with { Kind = TaskKind.Knowledge });
        var report = analyzed with { SmallCostPerCall = null, TrainingCost = null, FixedCost = null, DailySaving = null, PaybackDays = null, BreakEvenCallsPerDay = null };

        var reasons = NullReasons.For(report, hasSmallModel: false);

        Assert.Equal(NullReason.KnowledgeTask, reasons["smallCostPerCall"]);
        Assert.Equal(NullReason.KnowledgeTask, reasons["breakEvenCallsPerDay"]);
        Assert.Equal(NullReason.KnowledgeTask, reasons["paybackDays"]);
    }

    [Fact]
    public void For_TaskWithoutSmallModel_SmallSideIsNoSmallModel()
    {
        var analyzed = Analyzer().Analyze(Input(largeCallsInWindow: 28_000));
        var report = analyzed with { SmallCostPerCall = null, TrainingCost = null, FixedCost = null, DailySaving = null, PaybackDays = null, BreakEvenCallsPerDay = null };

        var reasons = NullReasons.For(report, hasSmallModel: false);

        Assert.Equal(NullReason.NoSmallModel, reasons["smallCostPerCall"]);
        Assert.Equal(NullReason.NoSmallModel, reasons["dailySaving"]);
    }

    [Fact]
    public void Analyze_TaskOnLarge_MeasuredSmallFiguresAreNotDistilled()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 280_000));

        Assert.Equal(NullReason.NotDistilled, report.NullReasons["measuredSmallCostPerCall"]);
        Assert.Equal(NullReason.NotDistilled, report.NullReasons["measuredSavingsPerDay"]);
        Assert.Equal(NullReason.NotDistilled, report.NullReasons["cascadeRate"]);
        AssertNoBareNulls(report);
    }

    [Fact]
    public void Serialize_NullReasons_KebabCaseValues()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 28_000));

        var json = JsonSerializer.Serialize(report, DistillationJson.Options);

        Assert.Contains("\"paybackDays\":\"loses-at-this-volume\"", json, StringComparison.Ordinal);
        Assert.Contains("\"measuredSavingsPerDay\":\"not-distilled\"", json, StringComparison.Ordinal);
    }

    /// <summary>Every null property of the report's JSON has its reason, so no reader meets a bare null.</summary>
    internal static void AssertNoBareNulls(DistillationReport report)
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, DistillationJson.Options));
        var reasons = json.RootElement.GetProperty("nullReasons");
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                Assert.True(reasons.TryGetProperty(property.Name, out var reason) && reason.ValueKind == JsonValueKind.String, $"{report.Task}: {property.Name} is null without a reason");
            }
        }
    }
}
