using Router.Core.Catalog;
using Router.Core.Routing;
using Router.Core.Tests.Catalog;

namespace Router.Core.Tests.Routing;

public sealed class PromptBuilderTests
{
    private readonly PromptBuilder _builder = new(new TokenCounter());

    [Fact]
    public void Build_Large_HasSystemExamplesContextThenInput()
    {
        CatalogFixtures.Catalog().TryResolve("triage", out var task);

        var prompt = _builder.Build(task, RouteTarget.Large, [new CallerMessage("user", "my card was charged")], "refund policy: 14 days");

        Assert.Equal(["system", "user", "assistant", "system", "user"], prompt.Messages.Select(m => m.Role));
        Assert.Equal([PromptPart.System, PromptPart.Examples, PromptPart.Examples, PromptPart.Context, PromptPart.Caller], prompt.Messages.Select(m => m.Part));
        Assert.Contains("refund policy: 14 days", prompt.Messages[3].Content, StringComparison.Ordinal);
        Assert.True(prompt.SystemTokens > 0 && prompt.ExamplesTokens > 0 && prompt.ContextTokens > 0);
    }

    [Fact]
    public void Build_Small_HasOnlyShortSystemAndInput_NoExamplesNoContext()
    {
        CatalogFixtures.Catalog().TryResolve("triage", out var task);

        var prompt = _builder.Build(task, RouteTarget.Small, [new CallerMessage("user", "my card was charged")], "refund policy: 14 days");

        Assert.Equal(2, prompt.Messages.Count);
        Assert.StartsWith("Triage.", prompt.Messages[0].Content, StringComparison.Ordinal);
        Assert.Equal("my card was charged", prompt.Messages[1].Content);
        Assert.Equal(0, prompt.ExamplesTokens);
        Assert.Equal(0, prompt.ContextTokens);
    }
}
