using System.Text.Json.Serialization;

namespace Router.Core.Distillation;

/// <summary>The rungs of the order of operations, cheapest first: stop at the first one that works.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepName>))]
public enum StepName
{
    /// <summary>Improve the prompt: explicit output format, fewer or better examples.</summary>
    [JsonStringEnumMemberName("prompt")]
    Prompt,

    /// <summary>Give the model the documents: facts belong in retrieval, not in weights.</summary>
    [JsonStringEnumMemberName("retrieval")]
    Retrieval,

    /// <summary>The same prompt on a cheaper model (evidence: shadow evaluation).</summary>
    [JsonStringEnumMemberName("cheaper-model")]
    CheaperModel,

    /// <summary>Train the small model on the large model's answers (distillation).</summary>
    [JsonStringEnumMemberName("fine-tune")]
    FineTune,
}
