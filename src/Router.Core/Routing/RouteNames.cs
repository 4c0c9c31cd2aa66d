namespace Router.Core.Routing;

/// <summary>Wire names of <see cref="RouteTarget"/>: "large" and "small".</summary>
public static class RouteNames
{
    public const string Large = "large";
    public const string Small = "small";

    public static RouteTarget? Parse(string? value) => value?.ToLowerInvariant() switch
    {
        Large => RouteTarget.Large,
        Small => RouteTarget.Small,
        _ => null,
    };

    public static string ToWire(this RouteTarget target) => target == RouteTarget.Large ? Large : Small;
}
