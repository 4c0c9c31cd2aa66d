using Router.Core.Distillation;

namespace Router.Core.Tests.Distillation;

public sealed class DistillationEconomicsTests
{
    private static readonly DateOnly Today = new(2026, 3, 1);

    [Fact]
    public void BreakEvenCallsPerDay_DeveloperTierWithoutHosting_OnlyAmortisesFixedCost()
    {
        // H = 0 (developer tier): V* = (0 + 503.33 / 90) / 0.005821 ≈ 960.75 calls/day
        var vStar = DistillationEconomics.BreakEvenCallsPerDay(0m, 503.33m, 90, 0.00595m, 0.000129m);

        Assert.Equal(503.33m / 90m / 0.005821m, vStar!.Value, 10);
    }

    [Fact]
    public void BreakEvenCallsPerDay_SmallNotCheaper_Null()
    {
        Assert.Null(DistillationEconomics.BreakEvenCallsPerDay(40.80m, 503.33m, 90, 0.0001m, 0.0001m));
    }

    [Fact]
    public void PaybackDays_NoDailySaving_NullMeaningNever()
    {
        Assert.Null(DistillationEconomics.PaybackDays(503.33m, 0m));
        Assert.Null(DistillationEconomics.PaybackDays(503.33m, -1m));
    }

    [Fact]
    public void UsefulLifeDays_RetirementBeforeRetrain_CutsToDaysLeft()
    {
        // Retires 2026-04-10: 31 days from 2026-03-01 to 2026-04-01, + 9 = 40 days; R = min(90, 40).
        Assert.Equal(40, DistillationEconomics.UsefulLifeDays(90, new DateOnly(2026, 4, 10), Today));
        Assert.Equal(90, DistillationEconomics.UsefulLifeDays(90, new DateOnly(2027, 1, 1), Today));
        Assert.Equal(90, DistillationEconomics.UsefulLifeDays(90, null, Today));
    }

    [Fact]
    public void CallsPerDay_ZeroCalls_Zero()
    {
        Assert.Equal(0m, DistillationEconomics.CallsPerDay(0, 14));
    }

    [Fact]
    public void MeanTokensPerCall_NoCalls_Null()
    {
        Assert.Null(DistillationEconomics.MeanTokensPerCall(RouteUsage.None));
    }

    [Theory]
    [InlineData("4099.2", "4,100")]
    [InlineData("4100", "4,100")]
    [InlineData("0.01", "1")]
    public void NeededCount_Fraction_RoundsUpWithSeparators(string value, string expected)
    {
        Assert.Equal(expected, ReasonFormat.NeededCount(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
