using Router.Core.Catalog;
using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>Dollars for one call: billed tokens times the deployment's published prices (per 1M tokens), plus its flat price per call (zero unless set).</summary>
public static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;

    public static decimal Cost(TokenUsage usage, ModelPrices prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var cached = Math.Clamp(usage.CachedInput, 0, usage.Input);
        var uncached = usage.Input - cached;
        return ((uncached * prices.InputPerMillion) + (cached * prices.CachedInputPerMillion) + (usage.Output * prices.OutputPerMillion)) / PerMillion + prices.PerCall;
    }
}
