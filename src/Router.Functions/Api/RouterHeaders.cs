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

    /// <summary>The deployment that served the call (OpenAI answers name the task in <c>model</c>).</summary>
    public const string Deployment = "x-router-deployment";

    /// <summary>Set when the caller asked for more output tokens than the task allows: the cap the call got.</summary>
    public const string MaxTokensCapped = "x-router-max-tokens-capped";

    public static string FormatCost(decimal costUsd) => costUsd.ToString("0.##########", CultureInfo.InvariantCulture);

    public static void Apply(IDictionary<string, string> headers, RouteResult route)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(route);
        headers[Route] = route.Route.ToWire();
        headers[CostUsd] = FormatCost(route.TotalCostUsd);
        headers[CallId] = route.CallId;
        headers[Model] = route.Model.Name;
        headers[Deployment] = route.Model.Deployment;
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
        headers[Deployment] = route.Model.Deployment;
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
        headers[Deployment] = answer.Model.Deployment;
        headers[Fallback] = answer.Fallback ? "true" : "false";
        if (answer.KnownCostUsd is { } known)
        {
            headers[CostUsd] = FormatCost(known);
        }
    }

    /// <summary>Says so when the task's output ceiling cut the caller's max tokens.</summary>
    public static void ApplyCap(IHeaderDictionary headers, int? cappedTo)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (cappedTo is { } cap)
        {
            headers[MaxTokensCapped] = cap.ToString(CultureInfo.InvariantCulture);
        }
    }
}
