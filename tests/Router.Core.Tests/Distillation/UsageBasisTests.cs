using Router.Core.Distillation;
using static Router.Core.Tests.Distillation.DistillationScenario;

namespace Router.Core.Tests.Distillation;

public sealed class UsageBasisTests
{
    [Fact]
    public void Analyze_ProvisionalSpanOfAnHourAndAFifth_ExtrapolatesAndSaysSo()
    {
        // 92 calls in 1.2 hours: 76.7 calls/h, 1,840 calls/day.
        var input = Input(0) with { Usage = new TaskUsageWindow { Days = 1.2m / 24m, Provisional = true, Large = LargeCalls(92) } };

        var report = Analyzer().Analyze(input);

        Assert.True(report.Provisional);
        Assert.Equal(1_840m, report.CallsPerDay);
        Assert.Equal(1.2m, report.Basis!.SpanHours);
        Assert.Equal("from 1.2 hours of traffic: 77 calls/h, about 1,840 calls/day", report.Basis.Summary);
        // Spend per day scales the same way: 92 x $0.00595 = $0.5474 in 1.2 h.
        Assert.Equal(92 * Gpt4oCostPerCall, report.SpendUsd);
        Assert.Equal(92 * Gpt4oCostPerCall * 20m, report.SpendPerDay);
        Assert.Equal(DistillationVerdict.NotYet, report.Verdict);
        NullReasonsTests.AssertNoBareNulls(report);
    }

    [Theory]
    [InlineData(0.2, "from 12 minutes of traffic: 460 calls/h, about 11,040 calls/day")]
    [InlineData(72, "from 3 days of traffic: about 31 calls/day")]
    public void Of_ProvisionalSpans_ReadAsAPersonSaysThem(double hours, string expected)
    {
        var usage = new TaskUsageWindow { Days = (decimal)hours / 24m, Provisional = true, Large = LargeCalls(92) };

        Assert.Equal(expected, UsageBasis.Of(usage, WindowDays).Summary);
    }

    [Fact]
    public void Of_FullWindow_NotProvisional()
    {
        var basis = UsageBasis.Of(new TaskUsageWindow { Days = WindowDays, Large = LargeCalls(28_000) }, WindowDays);

        Assert.False(basis.Provisional);
        Assert.Equal(336m, basis.SpanHours);
        Assert.Equal("from 14 complete days: 2,000 calls/day", basis.Summary);
    }

    [Fact]
    public void Of_NoTrafficYet_SaysSo()
    {
        var basis = UsageBasis.Of(new TaskUsageWindow { Days = WindowDays, Provisional = true }, WindowDays);

        Assert.True(basis.Provisional);
        Assert.Equal(0m, basis.Calls);
        Assert.Equal("no traffic yet: every figure waits for the first calls", basis.Summary);
    }
}
