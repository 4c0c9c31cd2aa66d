using System.Globalization;

namespace Router.Core.Promotion;

/// <summary>
/// When a promoted route goes back to its catalog route, automatically: the live evidence (the large shadow
/// slice of calls the promoted model served since its promotion) has an agreement interval whose upper bound
/// is under the task's quality bar (even the best case no longer meets it), or the share of the route's calls
/// that cascaded to large over the last hour exceeds the limit (with at least the minimum number of calls).
/// Pure: the refresher feeds it what storage says.
/// </summary>
public static class RollbackRule
{
    /// <summary>Why to roll back, with the numbers; null to keep the promotion.</summary>
    public static string? Why(PromotionEvidence live, long routeCalls, long cascades, double bar, RouteOverrideOptions options)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(options);
        if (live.Samples > 0 && live.AgreementUpper < bar)
        {
            return $"live {RoutePromotion.Describe(live)} since the promotion: the upper bound is under the {RoutePromotion.Percent(bar)} quality bar";
        }

        if (routeCalls >= options.CascadeMinCalls && (double)cascades / routeCalls > options.MaxCascadeRate)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{RoutePromotion.Percent((double)cascades / routeCalls)} of the route's calls cascaded to large over the last hour ({cascades:#,0} of {routeCalls:#,0}), above the {RoutePromotion.Percent(options.MaxCascadeRate)} limit (Router:RouteOverrides:MaxCascadeRate)");
        }

        return null;
    }
}
