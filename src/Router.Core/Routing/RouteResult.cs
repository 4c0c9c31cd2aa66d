using Router.Core.Catalog;
using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>The answer to a routed call and what it cost.</summary>
public sealed record RouteResult(
    string CallId,
    CatalogTask Task,
    RouteTarget Route,
    CatalogModel Model,
    ChatModelResponse Response,
    InputTokenSplit InputSplit,
    decimal CostUsd,
    decimal TotalCostUsd,
    LatencyBreakdown Latency,
    bool Fallback,
    string? FallbackReason);
