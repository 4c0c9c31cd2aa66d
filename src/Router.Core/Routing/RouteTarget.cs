using System.Text.Json.Serialization;

namespace Router.Core.Routing;

/// <summary>Which model serves a task: the prompted large model or the tuned small one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RouteTarget>))]
public enum RouteTarget
{
    [JsonStringEnumMemberName("large")]
    Large,

    [JsonStringEnumMemberName("small")]
    Small,
}
