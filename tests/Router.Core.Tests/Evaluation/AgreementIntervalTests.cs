using Router.Core.Evaluation;

namespace Router.Core.Tests.Evaluation;

public sealed class AgreementIntervalTests
{
    // Reference values computed independently (a Python script of the textbook Wilson formula, z = 1.959964).
    [Theory]
    [InlineData(81, 100, 0.7222, 0.8749)]
    [InlineData(90, 100, 0.8256, 0.9448)]
    [InlineData(100, 100, 0.9630, 1.0)]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(5, 10, 0.2366, 0.7634)]
    public void Wilson_KnownCounts_MatchesTheFormula(long agreements, long samples, double lower, double upper)
    {
        var interval = AgreementInterval.Wilson(agreements, samples);

        Assert.Equal(lower, interval.Lower, 4);
        Assert.Equal(upper, interval.Upper, 4);
        Assert.Equal((double)agreements / samples, interval.Rate, 10);
    }

    [Fact]
    public void Wilson_NoSamples_IsTheWholeRange()
    {
        var interval = AgreementInterval.Wilson(0, 0);

        Assert.Equal((0, 0.0, 1.0), (interval.Samples, interval.Lower, interval.Upper));
    }

    [Fact]
    public void Wilson_MoreAgreementsThanSamples_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AgreementInterval.Wilson(11, 10));
    }

    [Fact]
    public void SamplesFor_HalfRateAtThreePercent_IsAboutOneThousandSixtySeven()
    {
        // z² x 0.25 / 0.03² = 1067.1 by the normal approximation; Wilson's is slightly narrower, so a few fewer.
        var needed = AgreementInterval.Wilson(0, 0).SamplesFor(0.03);

        Assert.InRange(needed, 1060, 1068);
        Assert.True(HalfWidth(0.5, needed) <= 0.03);
        Assert.True(HalfWidth(0.5, needed - 1) > 0.03);
    }

    [Fact]
    public void MoreSamplesFor_AfterSomeSamples_CountsOnlyTheMissingOnes()
    {
        var interval = AgreementInterval.Wilson(90, 100);

        var more = interval.MoreSamplesFor(0.03);

        Assert.Equal(interval.SamplesFor(0.03) - 100, more);
        Assert.InRange(interval.SamplesFor(0.03), 370, 390); // z² x 0.09 / 0.0009 ≈ 384
    }

    [Fact]
    public void MoreSamplesFor_EnoughSamples_IsZero()
    {
        Assert.Equal(0, AgreementInterval.Wilson(950, 1000).MoreSamplesFor(0.03));
    }

    private static double HalfWidth(double p, long n) => (AgreementInterval.Wilson((long)(p * n), n) is var w ? (w.Upper - w.Lower) / 2 : 0);
}
