using System.Globalization;
using Router.Core.Routing;
using Microsoft.AspNetCore.Http;

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

    public static void Apply(IDictionary<string, string> headers, RouteResult route)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(route);
        headers[Route] = route.Route.ToWire();
        headers[CostUsd] = FormatCost(route.TotalCostUsd);
        headers[CallId] = route.CallId;
        headers[Model] = route.Model.Name;
        headers[Fallback] = route.Fallback ? "true" : "false";
    }

    public static void Apply(IHeaderDictionary headers, RouteResult route)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(route);
        headers[Route] = route.Route.ToWire();
        headers[CostUsd] = FormatCost(route.TotalCostUsd);
        headers[CallId] = route.CallId;
        headers[Model] = route.Model.Name;
        headers[Fallback] = route.Fallback ? "true" : "false";
    }

    /// <summary>The headers of a streamed answer, sent before the first event; the cost only when already known.</summary>
    public static void Apply(IHeaderDictionary headers, IStreamedAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(answer);
        headers[Route] = answer.Route.ToWire();
        headers[CallId] = answer.CallId;
        headers[Model] = answer.Model.Name;
        headers[Fallback] = answer.Fallback ? "true" : "false";
        if (answer.KnownCostUsd is { } known)
        {
            headers[CostUsd] = FormatCost(known);
        }
    }
}
