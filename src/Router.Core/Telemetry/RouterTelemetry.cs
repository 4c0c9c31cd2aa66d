using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Router.Core;

/// <summary>The one ActivitySource and one Meter of Router, both named "Router".</summary>
public static class RouterTelemetry
{
    public const string Name = "Router";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);
}
