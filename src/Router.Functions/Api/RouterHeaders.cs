using System.Globalization;
using Router.Core.Routing;
using Router.Functions.Http;

namespace Router.Functions.Api;

/// <summary>x-router-* response headers: what served the call and what it cost, without parsing the body.</summary>
public static class RouterHeaders
{
    public const string Route = "x-router-route";
    public const string CostUsd = "x-router-cost-usd";
    public const string CallId = "x-router-call-id";
    public const string Model = "x-router-model";
    public const string Fallback = "x-router-fallback";

    public static string FormatCost(decimal costUsd) => costUsd.ToString("0.##########", CultureInfo.InvariantCulture);

    public static void Apply(JsonBodyResult result, RouteResult route)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(route);
        result.Headers[Route] = route.Route.ToWire();
        result.Headers[CostUsd] = FormatCost(route.TotalCostUsd);
        result.Headers[CallId] = route.CallId;
        result.Headers[Model] = route.Model.Name;
        result.Headers[Fallback] = route.Fallback ? "true" : "false";
    }
}
