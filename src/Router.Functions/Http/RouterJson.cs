using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Functions.Http;

public static class RouterJson
{
    /// <summary>camelCase, nulls omitted, enums as strings: what API callers expect.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}
