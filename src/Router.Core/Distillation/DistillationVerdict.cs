using System.Text.Json.Serialization;

namespace Router.Core.Distillation;

/// <summary>What to do about distilling one task; kebab-case on the wire.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DistillationVerdict>))]
public enum DistillationVerdict
{
    /// <summary>Every readiness rule holds: train the small model now.</summary>
    [JsonStringEnumMemberName("distill-now")]
    DistillNow,

    /// <summary>Something that time or volume can fix is missing; the reasons say how much.</summary>
    [JsonStringEnumMemberName("not-yet")]
    NotYet,

    /// <summary>Distilling would not pay off whatever the volume, or the task must not be distilled.</summary>
    [JsonStringEnumMemberName("not-eligible")]
    NotEligible,

    /// <summary>A cheaper prompted model matches the large one on live traffic (interval at or above the bar): switch, no training needed.</summary>
    [JsonStringEnumMemberName("switch-prompt")]
    SwitchPrompt,

    /// <summary>A tuned small-prompt candidate matches the large one on live traffic: promote it.</summary>
    [JsonStringEnumMemberName("promote")]
    Promote,

    /// <summary>Already routed to the small model; the report shows measured savings.</summary>
    [JsonStringEnumMemberName("distilled")]
    Distilled,
}
