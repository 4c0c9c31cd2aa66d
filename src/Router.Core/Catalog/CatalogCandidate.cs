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

    /// <summary>
    /// The evidence name of one version of a model that has versions (a local classifier): "{name}@{version}",
    /// so each trained version accrues its own shadow evidence and a retrain starts from none. '@' cannot
    /// appear in a candidate or model name.
    /// </summary>
    public static string Versioned(string name, string? version) => version is null ? name : name + "@" + version;

    /// <summary>The candidate (or live slice) an evidence name belongs to, without its version.</summary>
    public static string Unversioned(string evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var at = evidence.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? evidence : evidence[..at];
    }

    /// <summary>The version part of an evidence name; null when it has none.</summary>
    public static string? VersionOf(string evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var at = evidence.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? null : evidence[(at + 1)..];
    }
}
