using Router.Core.Catalog;
using Router.Core.Routing;

namespace Router.Core.Evaluation;

/// <summary>
/// One shadow call to make. Against a candidate, the served large answer is the reference and the
/// shadow answer is scored; on the large shadow slice, the shadow (large) answer is the reference and
/// the served answer is scored.
/// </summary>
internal sealed record ShadowJob(ShadowOffer Offer, string Evidence, CatalogModel Model, RouteTarget Prompt, bool ShadowIsReference, DateOnly BudgetDay)
{
    public CatalogTask Task => Offer.Request.Task;

    /// <summary>
    /// On the large shadow slice of a promoted route: the task's other candidates (a version trained after the
    /// promoted one, say) to measure against the large answer once it is in, as if large had served the call.
    /// </summary>
    public IReadOnlyList<CatalogCandidate> Then { get; init; } = [];
}
