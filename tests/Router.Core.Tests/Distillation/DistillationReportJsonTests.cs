using System.Text.Json;
using Router.Core.Distillation;
using static Router.Core.Tests.Distillation.DistillationScenario;

namespace Router.Core.Tests.Distillation;

public sealed class DistillationReportJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Serialize_DistillNow_KebabCaseVerdictAndNumbers()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 280_000));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, Web));

        Assert.Equal("distill-now", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("classification", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("large", json.RootElement.GetProperty("route").GetString());
        Assert.Equal("measured", json.RootElement.GetProperty("largeCostBasis").GetString());
        Assert.Equal(75.62m, json.RootElement.GetProperty("dailySaving").GetDecimal());
    }

    [Fact]
    public void Serialize_NeverPaysBack_NullNotInfinity()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 0));

        var text = JsonSerializer.Serialize(report, Web);

        using var json = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("paybackDays").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("breakEvenCallsPerDay").ValueKind);
        Assert.Equal("not-yet", json.RootElement.GetProperty("verdict").GetString());
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DistillationVerdict.DistillNow, "distill-now")]
    [InlineData(DistillationVerdict.NotYet, "not-yet")]
    [InlineData(DistillationVerdict.NotEligible, "not-eligible")]
    [InlineData(DistillationVerdict.Distilled, "distilled")]
    public void ToWireName_EveryVerdict_MatchesJson(DistillationVerdict verdict, string expected)
    {
        Assert.Equal(expected, verdict.ToWireName());
        Assert.Equal($"\"{expected}\"", JsonSerializer.Serialize(verdict));
    }
}
