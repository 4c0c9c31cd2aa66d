namespace Router.Core.Routing;

/// <summary>Milliseconds: the whole request, the time spent waiting on models, and what the router added.</summary>
public readonly record struct LatencyBreakdown(double TotalMs, double UpstreamMs, double OverheadMs);
