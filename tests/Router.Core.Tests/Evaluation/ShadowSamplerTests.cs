using Router.Core.Evaluation;

namespace Router.Core.Tests.Evaluation;

public sealed class ShadowSamplerTests
{
    [Fact]
    public void Picks_SameCallAndCandidate_AlwaysTheSameChoice()
    {
        var first = Enumerable.Range(0, 200).Select(i => ShadowSampler.Picks($"call-{i}", "mini", 0.3)).ToArray();
        var second = Enumerable.Range(0, 200).Select(i => ShadowSampler.Picks($"call-{i}", "mini", 0.3)).ToArray();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Picks_ManyCalls_TakesAboutTheRate()
    {
        var picked = Enumerable.Range(0, 20_000).Count(i => ShadowSampler.Picks(Guid.CreateVersion7().ToString("N") + i, "mini", 0.2));

        // Binomial(20000, 0.2): sd ≈ 57; ±4 sd.
        Assert.InRange(picked, 4000 - 230, 4000 + 230);
    }

    [Fact]
    public void Picks_DifferentCandidates_ChooseIndependently()
    {
        var calls = Enumerable.Range(0, 2000).Select(i => $"call-{i}").ToArray();
        var both = calls.Count(c => ShadowSampler.Picks(c, "a", 0.5) && ShadowSampler.Picks(c, "b", 0.5));

        // Independent halves overlap on about a quarter (500, sd ≈ 19), not on half.
        Assert.InRange(both, 420, 580);
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(1.0, true)]
    public void Picks_ZeroAndOne_AreNeverAndAlways(double rate, bool expected)
    {
        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal(expected, ShadowSampler.Picks($"c{i}", "mini", rate)));
    }
}
