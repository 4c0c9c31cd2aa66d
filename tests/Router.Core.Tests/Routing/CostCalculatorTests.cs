using Router.Core.Catalog;
using Router.Core.Models;
using Router.Core.Routing;

namespace Router.Core.Tests.Routing;

public sealed class CostCalculatorTests
{
    private static readonly ModelPrices Gpt4o = new(2.50m, 1.25m, 10.00m, 0, 0, new DateOnly(2024, 10, 1), null);

    [Fact]
    public void Cost_SplitsCachedInputFromUncached()
    {
        // 1,000 input of which 400 cached, 200 output:
        // 600 x 2.50 + 400 x 1.25 + 200 x 10.00 = 1,500 + 500 + 2,000 = 4,000 per 1M -> $0.004
        var cost = CostCalculator.Cost(new TokenUsage(1_000, 400, 200), Gpt4o);

        Assert.Equal(0.004m, cost);
    }

    [Fact]
    public void Cost_CachedAboveInput_IsClampedSoNothingIsBilledTwice()
    {
        // cached clamped to 10: 10 x 1.25 / 1M = 0.0000125
        Assert.Equal(0.0000125m, CostCalculator.Cost(new TokenUsage(10, 50, 0), Gpt4o));
    }
}
