using Router.Core.Catalog;
using Router.Core.Security;

namespace Router.Core.Routing;

/// <summary>A validated call: the resolved task, who asked, and what they sent.</summary>
public sealed record RouteRequest(
    CatalogTask Task,
    ClientIdentity Client,
    IReadOnlyList<CallerMessage> Messages,
    string? Context,
    int? MaxOutputTokens,
    double? Temperature,
    string Api,
    long StartTimestamp);
