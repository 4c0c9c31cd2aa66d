using Router.Core.Catalog;
using Router.Core.Security;

namespace Router.Core.Routing;

/// <summary>
/// A validated call, parsed once from the wire by the API's function: the resolved task, who asked,
/// and what they sent. New API parameters are added here (as init properties) and read by the plan.
/// </summary>
public sealed record RouteRequest(
    CatalogTask Task,
    ClientIdentity Client,
    IReadOnlyList<CallerMessage> Messages,
    string? Context,
    int? MaxOutputTokens,
    double? Temperature,
    string Api,
    long StartTimestamp)
{
    /// <summary>The caller asked for the answer as a stream (server-sent events).</summary>
    public bool Stream { get; init; }

    /// <summary>Generation parameters passed through to the model as given.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.None;
}
