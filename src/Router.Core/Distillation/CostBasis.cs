using System.Text.Json.Serialization;

namespace Router.Core.Distillation;

/// <summary>Where a cost per call came from, so a reader knows how far to trust it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CostBasis>))]
public enum CostBasis
{
    /// <summary>Ledger cost sums divided by calls in the window.</summary>
    [JsonStringEnumMemberName("measured")]
    Measured,

    /// <summary>Mean tokens priced with the configured price sheet (no calls to measure on that route).</summary>
    [JsonStringEnumMemberName("projected")]
    Projected,
}
