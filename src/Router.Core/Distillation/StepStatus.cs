using System.Text.Json.Serialization;

namespace Router.Core.Distillation;

/// <summary>Where one rung of the order of operations stands for a task.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepStatus>))]
public enum StepStatus
{
    /// <summary>Worth doing now; the finding says what and how much.</summary>
    [JsonStringEnumMemberName("act")]
    Act,

    /// <summary>In place or nothing to fix: measured, fine.</summary>
    [JsonStringEnumMemberName("done")]
    Done,

    /// <summary>Not yet: volume, examples or time are missing, in numbers.</summary>
    [JsonStringEnumMemberName("wait")]
    Wait,

    /// <summary>Does not apply to this task (and why).</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,

    /// <summary>No evidence yet to judge it.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,
}
