using Router.Core.Routing;

namespace Router.Core.Tests.Routing;

public sealed class InputTokenSplitTests
{
    [Fact]
    public void Allocate_BillAboveFixedParts_CallerGetsTheRemainder()
    {
        var prompt = new BuiltPrompt([], SystemTokens: 40, ExamplesTokens: 100, ContextTokens: 60);

        var split = InputTokenSplit.Allocate(250, prompt);

        Assert.Equal(new InputTokenSplit(40, 100, 60, 50), split);
        Assert.Equal(250, split.Total);
        Assert.Equal(200, split.PromptTax);
    }

    [Fact]
    public void Allocate_BillBelowLocalEstimate_ScalesDownAndStillSumsToTheBill()
    {
        var prompt = new BuiltPrompt([], SystemTokens: 50, ExamplesTokens: 100, ContextTokens: 50);

        var split = InputTokenSplit.Allocate(100, prompt);

        // scale 100/200 = 0.5: system 25, examples 50, context takes the rest (25), caller 0.
        Assert.Equal(new InputTokenSplit(25, 50, 25, 0), split);
    }
}
