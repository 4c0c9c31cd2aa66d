using Router.Core.Evaluation;
using Router.Core.Promotion;

namespace Router.Core.Tests.Promotion;

public sealed class RollbackRuleTests
{
    private static readonly RouteOverrideOptions Options = new() { MaxCascadeRate = 0.3, CascadeMinCalls = 20 };

    private static PromotionEvidence Live(long agreements, long samples)
    {
        var interval = AgreementInterval.Wilson(agreements, samples);
        return new PromotionEvidence(samples, agreements, interval.Rate, interval.Lower, interval.Upper, null, 0.9);
    }

    [Fact]
    public void Why_UpperBoundUnderTheBar_RollsBackNamingTheNumbers()
    {
        // 2 of 10: Wilson 95% upper bound 51.0%, under the 90% bar.
        var why = RollbackRule.Why(Live(2, 10), routeCalls: 0, cascades: 0, bar: 0.9, Options);

        Assert.Equal("live agreement 20.0% [5.7%, 51.0%] over 10 shadow samples since the promotion: the upper bound is under the 90.0% quality bar", why);
    }

    [Fact]
    public void Why_LowerBoundUnderTheBarButUpperAbove_KeepsThePromotion()
    {
        // 9 of 10: the interval [59.6%, 98.2%] still holds the bar; more evidence decides, not a handful of samples.
        Assert.Null(RollbackRule.Why(Live(9, 10), routeCalls: 0, cascades: 0, bar: 0.9, Options));
    }

    [Fact]
    public void Why_NoLiveSamples_NeverRollsBackOnAgreement()
    {
        Assert.Null(RollbackRule.Why(Live(0, 0), routeCalls: 0, cascades: 0, bar: 0.9, Options));
    }

    [Theory]
    [InlineData(19, 19, null)] // under the minimum of calls: too few to judge
    [InlineData(20, 6, null)] // 30% is the limit itself, not above it
    [InlineData(20, 7, "35.0% of the route's calls cascaded to large over the last hour (7 of 20), above the 30.0% limit (Router:RouteOverrides:MaxCascadeRate)")]
    public void Why_CascadeRate_RollsBackAboveTheLimitWithEnoughCalls(long calls, long cascades, string? expected)
    {
        Assert.Equal(expected, RollbackRule.Why(Live(0, 0), calls, cascades, bar: 0.9, Options));
    }

    [Fact]
    public void LiveSince_SubtractsThePromotionHoursBaseline()
    {
        // The promotion's hour already held 10 samples (8 agreed) of an earlier promotion of this version.
        var live = PromotedRouteReader.LiveSince(new PromotedRouteCounts(30, 10, 50, 5), new PromotionBaseline(10, 8, 40, 4), bar: 0.9);

        Assert.Equal((20L, 2L), (live.Samples, live.Agreements));
        Assert.Equal(0.1, live.AgreementRate, 10);
    }
}
