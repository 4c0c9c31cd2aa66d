using Router.Emulator.Generation;
using Router.Emulator.Wire;

namespace Router.Emulator.Tests.Generation;

public sealed class GradingRuleTests
{
    private static List<ChatMessageText> Grading(string reference, string candidate) =>
    [
        new("system", GradingRule.Preamble + " The task: summarise.\nAllowed labels: agree, disagree", null),
        new("user", $"Input:\nsome ticket\n\nReference answer:\n{reference}\n\nCandidate answer:\n{candidate}", null),
    ];

    [Theory]
    [InlineData("Summary: the order arrived late and the box was open", "summary: The order arrived late, and the box was open.", "agree")]
    [InlineData("Summary: the order arrived late and the box was open", "In short, the order arrived", "disagree")]
    [InlineData("Summary: the order arrived late and the box was open", "Something else entirely", "disagree")]
    public void Grade_GradingRequest_AgreesWhenMostWordsAreShared(string reference, string candidate, string expected) =>
        Assert.Equal(expected, GradingRule.Grade(Grading(reference, candidate)));

    [Fact]
    public void Grade_OrdinaryRequest_IsNotAGradingRequest() =>
        Assert.Null(GradingRule.Grade([new("system", "Summarise the ticket.", null), new("user", "Reference answer:\nx\n\nCandidate answer:\nx", null)]));

    [Fact]
    public void Grade_SectionsMissing_Disagrees() =>
        Assert.Equal("disagree", GradingRule.Grade([new("system", GradingRule.Preamble, null), new("user", "no sections here", null)]));
}
