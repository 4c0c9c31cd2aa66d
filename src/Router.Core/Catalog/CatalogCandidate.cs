using Router.Core.Routing;

namespace Router.Core.Catalog;

/// <summary>A validated candidate of a task: the model it calls, which plan's prompt it gets, how often and how much it is shadowed.</summary>
public sealed record CatalogCandidate(string Name, CatalogModel Model, RouteTarget Prompt, double ShadowRate, decimal DailyBudgetUsd)
{
    /// <summary>
    /// Evidence name of the large shadow slice of a route served by <paramref name="servedModel"/>:
    /// ':' cannot appear in a candidate name, so it never collides with one.
    /// </summary>
    public static string LiveName(string servedModel) => "live:" + servedModel;

    public static bool IsLiveName(string name) => name.StartsWith("live:", StringComparison.Ordinal);
}
