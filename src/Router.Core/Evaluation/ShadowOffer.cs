using Router.Core.Catalog;
using Router.Core.Routing;

namespace Router.Core.Evaluation;

/// <summary>A served, successful call, handed over once the caller has its answer.</summary>
/// <param name="CallId">The served call; every shadow row of it carries this as its RequestId.</param>
/// <param name="ServedModel">The model whose answer the caller got.</param>
/// <param name="ServedText">That answer.</param>
public sealed record ShadowOffer(RouteRequest Request, string CallId, RouteTarget ServedRoute, CatalogModel ServedModel, string ServedText);

/// <summary>Takes served calls for shadow evaluation. Never blocks, never throws, never changes what the caller gets.</summary>
public interface IShadowDispatcher
{
    /// <summary>Samples the call for each candidate and queues the shadow calls; returns how many were queued.</summary>
    int Offer(ShadowOffer offer);
}
