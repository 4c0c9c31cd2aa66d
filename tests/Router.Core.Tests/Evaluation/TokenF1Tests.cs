using Router.Core.Evaluation;

namespace Router.Core.Tests.Evaluation;

public sealed class TokenF1Tests
{
    [Fact]
    public void Score_SameWordsDifferentCaseAndPunctuation_IsOne()
    {
        Assert.Equal(1.0, TokenF1.Score("Revenue rose 12%.", "revenue ROSE 12"), 10);
    }

    [Fact]
    public void Score_PartialOverlap_IsTwoPrOverPPlusR()
    {
        // reference: a b c d (4), candidate: a b x (3); overlap 2 -> P = 2/3, R = 2/4, F1 = 2PR/(P+R) = 4/7.
        Assert.Equal(4.0 / 7.0, TokenF1.Score("a b c d", "a b x"), 10);
    }

    [Fact]
    public void Score_RepeatedTokens_CountOnlyAsOftenAsInTheReference()
    {
        // reference: the cat (2), candidate: the the the (3); overlap 1 -> P = 1/3, R = 1/2, F1 = 0.4.
        Assert.Equal(0.4, TokenF1.Score("the cat", "the the the"), 10);
    }

    [Theory]
    [InlineData("", "", 1.0)]
    [InlineData("", "words", 0.0)]
    [InlineData("words", "", 0.0)]
    [InlineData("alpha", "beta", 0.0)]
    public void Score_EdgeCases(string reference, string candidate, double expected)
    {
        Assert.Equal(expected, TokenF1.Score(reference, candidate), 10);
    }
}
