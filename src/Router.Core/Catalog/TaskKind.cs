using System.Text.Json.Serialization;

namespace Router.Core.Catalog;

/// <summary>What a task does; decides whether distilling it can ever make sense.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskKind>))]
public enum TaskKind
{
    [JsonStringEnumMemberName("classification")]
    Classification,

    [JsonStringEnumMemberName("extraction")]
    Extraction,

    [JsonStringEnumMemberName("generation")]
    Generation,

    // Facts belong in retrieval, where they can be updated; a tuned model would freeze them.
    [JsonStringEnumMemberName("knowledge")]
    Knowledge,
}
