using System.Text.Json.Serialization;

namespace Router.Core.Distillation;

/// <summary>
/// Why a report figure is null. A null alone would read as "never"; these say which never:
/// kebab-case on the wire, one per null figure in <see cref="DistillationReport.NullReasons"/>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<NullReason>))]
public enum NullReason
{
    /// <summary>No calls (on the route the figure needs) to measure yet.</summary>
    [JsonStringEnumMemberName("no-data")]
    NoData,

    /// <summary>c_L &lt;= c_S: the small model is not cheaper per call, so no volume makes distilling pay.</summary>
    [JsonStringEnumMemberName("not-cheaper")]
    NotCheaper,

    /// <summary>G &lt;= 0 at today's volume: hosting eats the saving; the break-even volume says when it would pay.</summary>
    [JsonStringEnumMemberName("loses-at-this-volume")]
    LosesAtThisVolume,

    /// <summary>The small model retires (or has retired) before it could pay back.</summary>
    [JsonStringEnumMemberName("retires-first")]
    RetiresFirst,

    /// <summary>A knowledge task: facts belong in retrieval, so nothing about distilling it is computed.</summary>
    [JsonStringEnumMemberName("knowledge-task")]
    KnowledgeTask,

    /// <summary>No small deployment is configured for the task, so the small side cannot be priced.</summary>
    [JsonStringEnumMemberName("no-small-model")]
    NoSmallModel,

    /// <summary>A figure measured only on a distilled task (routed to small); this one is not.</summary>
    [JsonStringEnumMemberName("not-distilled")]
    NotDistilled,
}
