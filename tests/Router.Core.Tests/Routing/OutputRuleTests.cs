using Router.Core.Routing;

namespace Router.Core.Tests.Routing;

public sealed class OutputRuleTests
{
    [Theory]
    [InlineData("billing", true)]
    [InlineData(" Billing \n", true)]
    [InlineData("billing.", false)]
    [InlineData("refund", false)]
    [InlineData("", false)]
    public void Check_Labels_AcceptsOnlyALabel(string output, bool valid)
    {
        var rule = new OutputRule(["billing", "bug"], null);

        Assert.Equal(valid, rule.Check(output) is null);
    }

    [Theory]
    [InlineData("{\"summary\":\"x\"}", null)]
    [InlineData("{\"summary\":3}", "output does not match the JSON schema")]
    [InlineData("{}", "output does not match the JSON schema")]
    [InlineData("not json", "output is not valid JSON")]
    public void Check_JsonSchema_ValidatesWithTheSchema(string output, string? expected)
    {
        var rule = new OutputRule([], "{\"type\":\"object\",\"required\":[\"summary\"],\"properties\":{\"summary\":{\"type\":\"string\"}}}");

        Assert.Equal(expected, rule.Check(output));
    }
}
